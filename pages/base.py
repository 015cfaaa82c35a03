"""The page base class: a Viewer on a shared state object, with the engine, the viewer's scope,
and the served app around it (template, language switch, state mirrored in the URL)."""

from __future__ import annotations

import panel as pn
import param
from sqlalchemy import Engine

from data_access.engine import get_engine, resolve_url
from data_access.scope import FULL_ACCESS, Scope
from layouts import LANGUAGES, app_template, nav_links, notification_error, t
from pages.state import URL_PARAMETERS, CockpitState, parse_url_args


class CockpitPage(pn.viewable.Viewer):
    """Base of every page. Subclasses set ``name_key`` (navigation label in the catalogue) and ``slug``."""

    name_key = "app_title"
    slug = "page"

    state = param.ClassSelector(class_=CockpitState, doc="Shared session state (language, drill path).")
    db_url = param.String(
        default=None, allow_None=True, doc="Database URL (notebook use); defaults to the state's."
    )

    def __init__(self, **params):
        if params.get("state") is None:
            params["state"] = CockpitState(db_url=params.get("db_url"))
        super().__init__(**params)
        if self.db_url and not self.state.db_url:
            self.state.db_url = self.db_url

    @property
    def engine(self) -> Engine:
        return get_engine(resolve_url(self.state.db_url))

    @property
    def scope(self) -> Scope:
        return FULL_ACCESS  # sign-in (F31) narrows this per viewer

    def _refresh(self) -> None:
        """Redraw from the state (subclasses)."""

    def validate_path(self, values: dict, problems: list[str]) -> None:
        """Check link values against the database, dropping what does not exist (subclasses)."""

    def apply_url(self, args: dict[str, str]) -> list[str]:
        """Apply link parameters; invalid ones are ignored and described in the returned messages."""
        values, bad = parse_url_args(args)
        lang = values.get("lang", self.state.lang)
        problems = [t("error_bad_url", lang, name=name, value=raw) for name, raw in bad]
        self.validate_path(values, problems)
        with param.parameterized.discard_events(self.state):
            self.state.param.update(**values)
        self._refresh()
        return problems

    @classmethod
    def create_app(cls, db_url: str | None = None, nav: list[tuple[str, str]] | None = None):
        """The served page: template with navigation, a language switch, and the state in the URL.

        ``nav`` lists (catalogue key, href) of every page; labels follow the language switch.
        """
        state = CockpitState(db_url=db_url)
        page = cls(state=state)
        args = {k: v[0].decode() for k, v in (pn.state.session_args or {}).items() if v}
        problems = page.apply_url(args)
        language = pn.widgets.RadioButtonGroup(
            options={v: k for k, v in LANGUAGES.items()},
            value=state.lang,
            color="light",
            margin=(8, 10),
        )
        language.link(state, value="lang")
        state.param.watch(lambda e: setattr(language, "value", e.new), "lang")
        nav = nav or [(cls.name_key, f"./{cls.slug}")]
        menu = nav_links([(t(key, state.lang), href) for key, href in nav])
        state.param.watch(
            lambda e: setattr(menu, "object", nav_links([(t(k, e.new), h) for k, h in nav]).object), "lang"
        )
        template = app_template(t("app_title", state.lang), menu, page, header=[language])
        if pn.state.location is not None:
            pn.state.location.search = state.url_query()
            state.param.watch(
                lambda *_events: setattr(pn.state.location, "search", state.url_query()), list(URL_PARAMETERS)
            )
        if problems:
            pn.state.onload(lambda: [notification_error(p) for p in problems])
        return template
