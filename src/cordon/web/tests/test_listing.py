from django.core.paginator import Paginator
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory


def render(text, **context):
    return Template("{% load listing %}" + text).render(Context(context))


def test_a_table_has_one_head_and_one_cell_per_column_and_escapes_what_it_shows():
    html = render('{% table rows as r %}{% col "Name" %}{{ r.name }}{% col "Kind" class="mono" %}{{ r.kind }}{% endtable %}',
                  rows=[{"name": "<b>Zhang</b>", "kind": "A"}])
    assert "<th>Name</th><th>Kind</th>" in html
    assert '<tr><td>&lt;b&gt;Zhang&lt;/b&gt;</td><td class="mono">A</td></tr>' in html


def test_an_empty_table_says_so_across_every_column():
    html = render('{% table rows as r empty="Nobody." %}{% col "A" %}1{% col "B" %}2{% col "C" %}3{% endtable %}', rows=[])
    assert '<td colspan="3" class="empty">Nobody.</td>' in html


def test_a_table_of_pairs_unpacks_each_row():
    html = render('{% table rows as a b %}{% col "A" %}{{ a }}{% col "B" %}{{ b }}{% endtable %}', rows=[("x", "y")])
    assert "<td>x</td><td>y</td>" in html


def test_a_table_of_a_page_is_followed_by_its_pager_keeping_the_filters():
    page = Paginator(list(range(5)), 2).get_page(1)
    request = RequestFactory().get("/list/", {"status": "open"})
    html = render('{% table page as n %}{% col "N" %}{{ n }}{% endtable %}', page=page, request=request)
    assert "<td>0</td>" in html and "<td>2</td>" not in html
    assert 'class="pager"' in html and "status=open&page=2" in html


def test_a_choice_filter_keeps_the_chosen_value():
    html = render('{% filter_choice "status" choices "All" %}', choices=[("open", "Open"), ("done", "Done")],
                  filters=QueryDict("status=done"))
    assert '<option value="">All</option>' in html
    assert '<option value="done" selected>Done</option>' in html and '<option value="open">Open</option>' in html


def test_a_text_filter_keeps_and_escapes_its_value():
    html = render('{% filter_text "q" "Name" %}', filters=QueryDict('q="><script>'))
    assert 'value="&quot;&gt;&lt;script&gt;"' in html


def test_the_tab_of_the_page_shown_is_marked_current():
    request = RequestFactory().get("/gatherings/")
    html = render('{% tabs %}{% tab "gatherings:index" "Gatherings" %}{% tab "web:home" "Home" %}{% endtabs %}', request=request)
    assert '<a class="button" href="/gatherings/" aria-current="page">Gatherings</a>' in html
    assert '<a class="button" href="/">Home</a>' in html and html.startswith('<nav class="filters">')


def test_a_tile_with_a_link_is_a_link():
    html = render('{% tile "red" "Overdue" 3 href="/x/" sub="late" %}')
    assert '<a class="tile tone-red" href="/x/">' in html and '<div class="tile-value">3</div>' in html
    assert '<div class="tile-sub">late</div>' in html
