"""Static files under content-hashed names: kept a year by browsers, renamed by any change."""

import gzip
import hashlib
import re
from pathlib import Path

import pytest

from confnet.web_assets.hashed import AssetStore

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
YEAR = "public, max-age=31536000, immutable"
LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:8]


def test_pages_link_css_and_js_by_their_content_hash(client):
    html = client.get("/log-in").get_data(as_text=True)
    linked = set(LINKED.findall(html))
    assert f"/static/css/app.{digest('css/app.css')}.css" in linked
    assert f"/static/js/app.{digest('js/app.js')}.js" in linked
    assert f"/static/img/icon.{digest('img/icon.svg')}.svg" in linked
    for url in linked:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == YEAR


def test_a_hashed_name_serves_the_file(client):
    response = client.get(f"/static/css/app.{digest('css/app.css')}.css")
    assert response.data == (STATIC / "css/app.css").read_bytes()
    assert response.mimetype == "text/css"


def test_no_template_links_a_static_file_by_its_plain_name():
    """url_for('static', ...) would give a name browsers keep only briefly."""
    plain = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"url_for\(\s*['\"]static['\"]", path.read_text())
    ]
    assert plain == []


def test_the_plain_name_still_works_but_is_kept_briefly(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.data == (STATIC / "css/app.css").read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_an_old_hash_gets_the_current_file_but_not_for_a_year(client):
    """A page rendered before a deploy asks for the old name: it still gets styles, and the
    browser doesn't keep them under that name."""
    response = client.get("/static/css/app.0123abcd.css")
    assert response.status_code == 200
    assert response.data == (STATIC / "css/app.css").read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    "path",
    ["/static/css/nope.css", "/static/css/nope.0123abcd.css", "/static/../app.py", "/static/css"],
)
def test_only_files_of_the_static_folder_are_served(client, path):
    assert client.get(path).status_code == 404


def test_assets_are_sent_gzipped_and_revalidate_with_either_tag(client):
    url = f"/static/css/app.{digest('css/app.css')}.css"
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain = client.get(url)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert "Accept-Encoding" in packed.vary and "Accept-Encoding" in plain.vary
    assert packed.headers["ETag"] != plain.headers["ETag"]
    for response, headers in ((packed, {"Accept-Encoding": "gzip"}), (plain, {})):
        again = client.get(url, headers={**headers, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == response.headers["ETag"]


def test_a_changed_file_gets_a_new_name(tmp_path):
    (tmp_path / "css").mkdir()
    css = tmp_path / "css" / "site.css"
    css.write_text("body { color: black }")
    now = [100.0]
    store = AssetStore(str(tmp_path), clock=lambda: now[0])
    first = store.hashed_name("css/site.css")
    assert re.fullmatch(r"css/site\.[0-9a-f]{8}\.css", first)
    assert store.hashed_name("css/site.css") == first
    css.write_text("body { color: #111111 }")
    now[0] += 0.5
    assert store.hashed_name("css/site.css") == first  # not looked at again yet
    now[0] += 0.6  # within a second of the first look: seen
    second = store.hashed_name("css/site.css")
    assert second != first
    assert store.resolve(second)[0].body == b"body { color: #111111 }"
    assert store.resolve(second)[1] is True and store.resolve(first)[1] is False


def test_missing_files_keep_their_plain_name(tmp_path):
    """A typo shows up as a 404 in the browser (the e2e tests fail on those), not a 500."""
    assert AssetStore(str(tmp_path)).hashed_name("css/missing.css") == "css/missing.css"


def test_the_service_worker_keeps_its_name_and_is_never_kept_long(client):
    """Browsers look for a new worker at the same URL: a hashed or year-long one would never
    be replaced."""
    html = client.get("/log-in").get_data(as_text=True)
    assert not re.search(r"sw\.[0-9a-f]{8}\.js", html)
    response = client.get("/sw.js")
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "immutable" not in cache_control and "max-age=31536000" not in cache_control
