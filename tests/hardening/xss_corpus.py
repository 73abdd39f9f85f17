"""Hostile strings for the XSS suites: markup that would run a script or add an element if any panel
(or static HTML fallback) parsed DSS text as HTML or followed a non-http(s) URL.

Detection is built into the payloads:

- anything that executes calls ``__xss(n)`` (the test page defines it and counts the calls; it also
  replaces ``alert``, ``confirm`` and ``prompt``);
- every element a payload would inject carries the attribute ``data-xss`` or is one of
  :data:`FORBIDDEN_TAGS`, which no panel creates itself.

:data:`PAYLOADS` go into every text field DSS controls (studio names, owners, template labels, zone
keys and paths, file paths, authors, error messages); :data:`URL_PAYLOADS` into exposed URLs.
"""

from __future__ import annotations

PAYLOADS: tuple[str, ...] = (
    # script tags
    "<script>__xss(1)</script>",
    "<SCRIPT SRC=data:text/javascript,__xss(2)></SCRIPT>",
    "<<script>__xss(3)//<</script>",
    "<scr<script>ipt>__xss(4)</scr</script>ipt>",
    # event handlers
    "<img src=x onerror=__xss(5) data-xss>",
    '"><img src=x onerror=__xss(6) data-xss>',
    "'><svg/onload=__xss(7) data-xss>",
    '" onmouseover="__xss(8)" autofocus onfocus="__xss(8)" data-xss="',
    "<details open ontoggle=__xss(9) data-xss>",
    "<input autofocus onfocus=__xss(10) data-xss>",
    "<body onload=__xss(11)>",
    "<video><source onerror=__xss(12) data-xss></video>",
    # javascript: and data: URLs
    "javascript:__xss(13)",
    " JaVaScRiPt:__xss(14)",
    "java&#x09;script:__xss(15)",
    "data:text/html,<script>__xss(16)</script>",
    '<a href="javascript:__xss(17)" data-xss>click me</a>',
    '<iframe src="javascript:__xss(18)" data-xss></iframe>',
    '<form><button formaction=javascript:__xss(19) data-xss>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(20)" data-xss>',
    '<base href="javascript:__xss(21)//" data-xss>',
    # SVG and MathML
    "<svg onload=__xss(22) data-xss>",
    "<svg><script>__xss(23)</script></svg>",
    "<svg><animate onbegin=__xss(24) attributeName=x dur=1s data-xss>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(25) data-xss>",
    # broken markup, comments, mutation XSS
    "<img src=x onerror=__xss(26) data-xss",
    "</td></tr></table></div><img src=x onerror=__xss(27) data-xss>",
    "<!--<img src=x onerror=__xss(28) data-xss>-->",
    '<noscript><p title="</noscript><img src=x onerror=__xss(29) data-xss>">',
    '<iframe srcdoc="<script>parent.__xss(30)</script>" data-xss></iframe>',
    "<style>*{display:none!important}</style><b data-xss>styled</b>",
    "<template><img src=x onerror=__xss(32) data-xss></template><object data-xss></object>",
    # entities and encodings must show literally
    "&lt;script&gt;__xss(33)&lt;/script&gt; &amp; &#60;b&#62;",
    "%3Cscript%3E__xss(34)%3C%2Fscript%3E",
    # template / framework injection
    "${__xss(35)}{{constructor.constructor('__xss(35)')()}}",
    # unicode tricks
    "\u202e<img src=x onerror=__xss(36) data-xss>\u202c gpj.exe",
    "\uff1cscript\uff1e__xss(37)\uff1c/script\uff1e",
    "<scr\u200bipt>__xss(38)</scr\u200bipt>",
    "\u2028\u2029<img src=x onerror=__xss(39) data-xss>",
    "Ünïcödé 👩\u200d💻 é <b data-xss>bold</b> 中文",
)

#: Exposed URLs: only the http(s) ones may become links (and must stay intact); the rest show as text.
URL_PAYLOADS: tuple[str, ...] = (
    "javascript:__xss(101)",
    "JAVASCRIPT:__xss(102)//http://example.com/",
    " javascript:__xss(103)",
    "data:text/html,<script>__xss(104)</script>",
    "vbscript:msgbox(105)",
    'https://example.com/"><img src=x onerror=__xss(106) data-xss>',
    "https://example.com/?q=<script>__xss(107)</script>",
    "http://example.com/' onmouseover='__xss(108)",
)

#: Tags no panel creates; any of them in a rendered panel was injected.
FORBIDDEN_TAGS: tuple[str, ...] = (
    "script", "img", "svg", "math", "iframe", "object", "embed", "video", "audio", "source", "form",
    "details", "base", "meta", "link", "noscript", "template", "body", "animate", "mglyph",
)

assert len(PAYLOADS) >= 30


def safe_url(url: str) -> bool:
    """Whether ``url`` is one a panel may turn into a link (http or https)."""
    return url.strip().lower().startswith(("http://", "https://"))


def normalise(text: str) -> str:
    """Whitespace-collapsed text, to compare what a page shows with what was sent."""
    return " ".join(text.split())
