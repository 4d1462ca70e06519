from typing import Any

from django import forms, template

from pompidou.rules import Verdict

register = template.Library()


@register.filter
def bootstrap(field: Any) -> Any:
    """Render a bound field's widget with Bootstrap classes and its help/errors linked."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def translated_url(context: Any, language_code: str) -> str:
    """The current page's address in another language (/en/… ↔ /fr/…), query string kept."""
    from django.urls import translate_url

    request = context["request"]
    url = translate_url(request.path, language_code)
    query = request.META.get("QUERY_STRING")
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def can(context: Any, rule_name: str, obj: Any = None) -> Verdict:
    """``{% can "proposals.submit" proposal as verdict %}``: the registered permission
    predicate's answer (a ``Verdict``: truthy, or falsy with its ``reason``) for the
    request's user."""
    from pompidou.rules import ask

    return ask(rule_name, context["request"].user, obj)
