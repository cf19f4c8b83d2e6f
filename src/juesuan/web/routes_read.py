"""The reader's path: organisations × years, charts over years with the numbers behind them,
comparisons of departments, the data as CSV or xlsx.  A filler sees only their department."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from juesuan.web.access import Denied, guard, render
from juesuan.web.routes_fill import MEDIA, attachment

router = APIRouter()

CHARTS = {
    "三公": ("“三公”经费", ["三公经费", "因公出国（境）费", "公务接待费"]),
    "budget": ("年初预算与决算", ["expenditure.budget", "基本支出", "项目支出"]),
}
LABELS = {"expenditure.budget": "年初预算", "基本支出": "基本支出（决算）", "项目支出": "项目支出（决算）"}


def _orgs(request: Request) -> list[dict]:
    from sqlalchemy import select

    from juesuan.store.schema import DatasetVersion, Organisation

    user = guard(request)
    with request.app.state.store.session() as s:
        pairs = s.execute(select(Organisation.name, DatasetVersion.year).join(DatasetVersion)
                          .where(DatasetVersion.current.is_(True)).distinct()).all()
    by: dict[str, set[int]] = {}
    for name, year in pairs:
        if user.may_see(name):
            by.setdefault(name, set()).add(year)
    return [{"name": n, "years": sorted(ys)} for n, ys in sorted(by.items())]


@router.get("/browse")
def browse(request: Request):  # noqa: ANN201
    orgs = _orgs(request)
    years = sorted({y for o in orgs for y in o["years"]})
    return render(request, "browse.html", {"orgs": orgs, "years": years})


def _table(result, labels: dict[str, str] | None = None) -> dict:  # noqa: ANN001 - Comparison
    return {"years": result.years, "rows": [{"org": org, "figure": (labels or {}).get(fig, fig),
                                             "values": [values.get(y) for y in result.years]}
                                            for org, fig, values in result.rows]}


@router.get("/browse/{name}")
def organisation(request: Request, name: str):  # noqa: ANN201
    from juesuan.store.queries import compare
    from juesuan.web.charts import bars

    guard(request, None, name)
    store = request.app.state.store
    charts = []
    for key, (title, figures) in CHARTS.items():
        t = _table(compare(store, figures, [name]), LABELS)
        series = [(r["figure"], r["values"]) for r in t["rows"]]
        charts.append({"key": key, "title": title, "table": t,
                       "svg": Markup(bars([f"{y}年" for y in t["years"]], series))})  # noqa: S704 - escaped
    classes = compare(store, ["expenditure.basic@类", "expenditure.project@类"], [name])
    total: dict[str, dict[int, Decimal]] = {}
    for _, fig, values in classes.rows:
        code = fig[fig.index("[") + 1:-1]
        for y, v in values.items():
            total.setdefault(code, {})[y] = total.setdefault(code, {}).get(y, Decimal(0)) + v
    rows = [{"org": name, "figure": f"{code} 类", "values": [vals.get(y) for y in classes.years]}
            for code, vals in sorted(total.items())]
    t = {"years": classes.years, "rows": rows}
    charts.append({"key": "class", "title": "按功能分类（类）的支出", "table": t,
                   "svg": Markup(bars([f"{y}年" for y in t["years"]],  # noqa: S704 - escaped in bars()
                                      [(r["figure"], r["values"]) for r in rows]))})
    return render(request, "organisation.html", {"name": name, "charts": charts})


def _compare(request: Request, figure: str, org: list[str]):  # noqa: ANN202
    from juesuan.store.queries import FIGURES, compare

    user = guard(request)
    for o in org:
        if not user.may_see(o):
            raise Denied(403, f"无权查看“{o}”的数据：填报人只能访问本部门")
    orgs = org or [o["name"] for o in _orgs(request)]
    return compare(request.app.state.store, [figure or "三公经费"], orgs), FIGURES


@router.get("/compare")
def compare_page(request: Request, figure: str = "三公经费", org: list[str] = Query(default=[])):  # noqa: ANN201, B008
    from juesuan.web.charts import bars

    result, names = _compare(request, figure, org)
    t = _table(result)
    svg = bars([r["org"][:10] for r in t["rows"]],
               [(f"{y}年", [r["values"][i] for r in t["rows"]]) for i, y in enumerate(t["years"])])
    from urllib.parse import urlencode

    query = urlencode([("figure", figure), *[("org", o) for o in org]])
    return render(request, "compare.html", {"figure": figure, "figures": list(names), "table": t, "query": query,
                                            "selected": org, "orgs": _orgs(request),
                                            "svg": Markup(svg)})  # noqa: S704 - escaped in bars()


@router.get("/data.csv")
def data_csv(request: Request, figure: str = "三公经费", org: list[str] = Query(default=[])):  # noqa: ANN201, B008
    result, _ = _compare(request, figure, org)
    return attachment(("\ufeff" + result.to_csv()).encode("utf-8"), f"{figure}.csv", "text/csv; charset=utf-8")


@router.get("/data.xlsx")
def data_xlsx(request: Request, figure: str = "三公经费", org: list[str] = Query(default=[])) -> Response:  # noqa: B008
    result, _ = _compare(request, figure, org)
    return attachment(result.to_xlsx(), f"{figure}.xlsx", MEDIA["xlsx"])
