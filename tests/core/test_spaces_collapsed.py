"""`{% spaces_collapsed %}` (core/templatetags/bounded_admin.py): the admin inlines' indented
markup sent without its blanks, shown as it was."""

from django.template import Context, Template


def rendered(markup):
    source = "{% load bounded_admin %}{% spaces_collapsed %}" + markup
    source += "{% endspaces_collapsed %}"
    return Template(source).render(Context({"name": "Ji-woo  Bianchi"}))


def test_the_blanks_between_two_tags_become_one_line_break():
    assert rendered("<tr>\n      <td>\n        <input>\n      </td>\n    </tr>") == (
        "<tr>\n<td>\n<input>\n</td>\n</tr>"
    )


def test_two_links_stay_apart_and_text_keeps_its_spaces():
    markup = '<p>\n  {{ name }}\n  <a href="/c">Change</a>\n  <a href="/v">View</a>\n</p>'
    assert rendered(markup) == (
        '<p>\n  Ji-woo  Bianchi\n  <a href="/c">Change</a>\n<a href="/v">View</a>\n</p>'
    )


def test_tags_with_nothing_between_them_are_left_as_they_are():
    assert rendered("<td><input></td>") == "<td><input></td>"
