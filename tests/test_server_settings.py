"""gunicorn.conf.py: what each worker does once the app is loaded."""

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]


def test_a_worker_keeps_the_loaded_app_out_of_full_garbage_collections(app):
    """A full collection in a worker walks only what requests made, not the modules and the
    app loaded before them (it took about 90 ms per collection, inside a request)."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert app.view_functions  # loaded, as in a worker after init
    before = len(gc.get_objects())
    try:
        settings["post_worker_init"](SimpleNamespace())
        assert gc.get_freeze_count() >= before // 2  # the loaded objects (some were garbage)
        assert len(gc.get_objects()) < 1000  # what a full collection now walks
    finally:
        gc.unfreeze()
