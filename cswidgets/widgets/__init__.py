"""The panels: thin anywidget widgets over the API core (see ``base.Panel``)."""
