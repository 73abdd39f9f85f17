"""Tab labels that show with ipywidgets 7 and 8 and on a widgetsnbextension 3.x front end."""

from __future__ import annotations

import ipywidgets as widgets

from cswidgets.widgets.shared.tabs import Tabs


def test_titles_reach_both_traits_in_one_message():
    tabs = Tabs(children=[widgets.HTML("a"), widgets.HTML("b")])
    sent = []
    tabs.send_state = lambda key=None: sent.append(key)
    tabs.set_titles(["One", "Two"])
    assert tabs.get_titles() == ("One", "Two")
    assert tabs.titles == ("One", "Two")  # what ipywidgets 8 front ends read
    state = tabs.get_state()
    assert state["_titles"] == {"0": "One", "1": "Two"}  # what ipywidgets 7 / widgetsnbextension 3 read
    assert len(sent) == 1  # held: one update for both


def test_a_tab_without_a_title_reads_empty():
    tabs = Tabs(children=[widgets.HTML("a"), widgets.HTML("b")])
    tabs.set_titles(["Only"])
    assert tabs.get_titles() == ("Only", "")
