"""The pieces every list page is made of, written once: `{% load listing %}` then

- `{% tile "green" _("Approved") counts.approved|default:0 %}`: a figure tile (tone green|yellow|red or "" for plain;
  `sub=` a line under the figure, `href=` makes the tile a link);
- in `<form class="filters" method="get">`: `{% filter_text "q" _("Title or address") %}` (a free-text filter),
  `{% filter_choice "status" statuses _("All statuses") %}` (a select of (value, label) pairs, the first option
  empty), `{% filter_check "overdue" _("Overdue only") %}` (a tick box, "1"), `{% filter_area %}` (an area searched
  by its name, parameter `region` unless named), then `{% filter_buttons %}` (the Filter button and the Excel export of the same rows; `export=False`
  leaves the export out, `label=` and `export_label=` name the buttons otherwise); each keeps the value in `filters` (request.GET);
- `{% tabs %}{% tab "app:index" _("Overview") %}...{% endtabs %}`: an app's row of sub-pages, the current one
  marked (`class=` gives the nav's classes, "filters" unless told);
- `{% table page as row empty=_("No rows.") %}{% col _("Title") %}{{ row.title }}{% col _("Kind") class="mono" %}...{% endtable %}`:
  a list's table: the heads, one row per item (a page's object_list, or any list), a row saying `empty` across every
  column when there is none, and the pager under it when `page` is a page (`pager=False` leaves it out). `{% col %}`
  takes `class=` and `head_class=`; `{% table ... row_class="..." %}` (evaluated per row) sets each row's class.
"""

from django import template
from django.template.base import token_kwargs
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cordon.core.templatetags.autocomplete import autocomplete

register = template.Library()


@register.inclusion_tag("web/_tile.html")
def tile(tone, label, value, sub="", href=""):
    """One figure tile."""
    return {"tone": tone, "label": label, "value": value, "sub": sub, "href": href}


@register.simple_tag(takes_context=True)
def filter_text(context, name, placeholder):
    """A free-text filter keeping its value."""
    value = (context.get("filters") or {}).get(name) or ""
    return format_html('<input name="{}" value="{}" placeholder="{}">', name, value, placeholder)


@register.simple_tag(takes_context=True)
def filter_choice(context, name, choices, everything):
    """A select filter over (value, label) pairs, its first option (empty value) naming `everything`."""
    chosen = (context.get("filters") or {}).get(name)
    options = format_html_join("", '<option value="{}"{}>{}</option>',
                               ((value, " selected" if chosen == str(value) else "", label) for value, label in choices))
    return format_html('<select name="{}"><option value="">{}</option>{}</select>', name, everything, options)


@register.simple_tag(takes_context=True)
def filter_yes_no(context, name, everything, yes, no):
    """A filter of a yes/no question: everything, "true" (`yes`) or "false" (`no`)."""
    return filter_choice(context, name, (("true", yes), ("false", no)), everything)


@register.simple_tag(takes_context=True)
def filter_check(context, name, label):
    """A filter that is on when ticked (value "1")."""
    on = (context.get("filters") or {}).get(name) == "1"
    return format_html('<label class="inline"><input type="checkbox" name="{}" value="1"{}> {}</label>', name,
                       " checked" if on else "", label)


@register.simple_tag(takes_context=True)
def filter_area(context, name="region"):
    """An area filter: the area searched by its name (the shared search), shown by its name once chosen."""
    return autocomplete(context, "region", name, value=(context.get("filters") or {}).get(name) or "",
                        placeholder=_("Area: search by name"))


@register.inclusion_tag("web/_filter_buttons.html", takes_context=True)
def filter_buttons(context, export=True, label="", export_label=""):
    """The Filter button and the export of the filtered rows."""
    return {"request": context.get("request"), "export": export, "label": label, "export_label": export_label}


class TabsNode(template.Node):
    def __init__(self, nodelist, extra):
        self.nodelist, self.extra = nodelist, extra

    def render(self, context):
        classes = self.extra.resolve(context) if self.extra else "filters"
        return format_html('<nav class="{}">{}</nav>', classes, self.nodelist.render(context))


@register.tag
def tabs(parser, token):
    """`{% tabs [class="filters subnav"] %}...{% endtabs %}`."""
    kwargs = token_kwargs(token.split_contents()[1:], parser)
    nodelist = parser.parse(("endtabs",))
    parser.delete_first_token()
    return TabsNode(nodelist, kwargs.get("class"))


@register.simple_tag(takes_context=True)
def tab(context, url_name, label):
    """One sub-page link; the page being shown is marked current."""
    url = reverse(url_name)
    request = context.get("request")
    if request is not None and request.path == url:
        return format_html('<a class="button" href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a class="button" href="{}">{}</a>', url, label)


class Column:
    def __init__(self, label, kwargs, nodelist):
        self.label, self.kwargs, self.nodelist = label, kwargs, nodelist

    def cell(self, context):
        return mark_safe(self.nodelist.render(context).strip())  # noqa: S308 - the template engine escaped it

    def attr(self, context, name):
        value = self.kwargs.get(name)
        return format_html(' class="{}"', value.resolve(context)) if value is not None else ""


class TableNode(template.Node):
    def __init__(self, rows, names, kwargs, columns):
        self.rows, self.names, self.kwargs, self.columns = rows, names, kwargs, columns

    def option(self, context, name, default=None):
        return self.kwargs[name].resolve(context) if name in self.kwargs else default

    def render(self, context):
        source = self.rows.resolve(context)
        items = source.object_list if hasattr(source, "object_list") else (source or [])
        heads = format_html_join("", "<th{}>{}</th>", ((c.attr(context, "head_class"), c.label.resolve(context)) for c in self.columns))
        body = []
        for item in items:
            values = dict(zip(self.names, item, strict=True)) if len(self.names) > 1 else {self.names[0]: item}
            with context.push(**values):
                cells = format_html_join("", "<td{}>{}</td>", ((c.attr(context, "class"), c.cell(context)) for c in self.columns))
                row_class = self.option(context, "row_class")
                body.append(format_html("<tr{}>{}</tr>", format_html(' class="{}"', row_class) if row_class else "", cells))
        if not body:
            body.append(format_html('<tr><td colspan="{}" class="empty">{}</td></tr>', len(self.columns), self.option(context, "empty", "")))
        table = format_html('<table class="list">\n  <thead><tr>{}</tr></thead>\n  <tbody>{}</tbody>\n</table>',
                            heads, format_html_join("\n", "{}", ((row,) for row in body)))
        if hasattr(source, "paginator") and self.option(context, "pager", True):
            with context.push(page=source):
                table += context.template.engine.get_template("web/_pager.html").render(context)
        return table


@register.tag
def table(parser, token):
    """`{% table rows as row [empty=...] [pager=False] [row_class=...] %}{% col label [class=..] %}...{% endtable %}`;
    `as a b` unpacks each item (a pair) into a and b."""
    bits = token.split_contents()
    if len(bits) < 4 or bits[2] != "as":
        raise template.TemplateSyntaxError("table: {% table rows as row [empty=...] %}")
    names = [b for b in bits[3:] if "=" not in b]
    rows, kwargs = parser.compile_filter(bits[1]), token_kwargs(bits[3 + len(names):], parser)
    parser.parse(("col",))  # whatever stands before the first column is layout white space
    columns = []
    while True:
        col_bits = parser.next_token().split_contents()
        if col_bits[0] == "endtable":
            break
        if len(col_bits) < 2:
            raise template.TemplateSyntaxError("col: {% col label [class=...] %}")
        label, col_kwargs = parser.compile_filter(col_bits[1]), token_kwargs(col_bits[2:], parser)
        columns.append(Column(label, col_kwargs, parser.parse(("col", "endtable"))))
    return TableNode(rows, names, kwargs, columns)
