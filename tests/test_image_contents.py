"""The production image holds every local app in INSTALLED_APPS, and its build steps work.

No Docker engine runs here (nor in CI), so the image's files are computed the way `docker build`
computes them: the build context is the project folder less what .dockerignore excludes, matched
by the Docker SDK's own .dockerignore matcher (docker.utils.build.exclude_paths, the code
`docker-py` sends contexts with), and the image's /app is what the final stage's COPY lines take
from it. The packaging (pyproject's package discovery) is checked by building the wheel.
"""

import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from docker.utils.build import exclude_paths

ROOT = Path(settings.BASE_DIR)

# Must never reach an image: secrets, local data, uploads, environments, caches, test output.
NEVER = [
    ".env",
    ".env.production",
    "db.sqlite3",
    "db.sqlite3-wal",
    "media/sites/photo.jpg",
    ".venv/bin/python",
    "node_modules/echarts/dist/echarts.min.js",
    ".git/HEAD",
    "test-artifacts/dashboard.png",
    "sites/__pycache__/models.cpython-311.pyc",
    ".pytest_cache/v/cache/lastfailed",
    ".ruff_cache/CACHEDIR.TAG",
    ".celery/messages/1.msg",
    "staticfiles/css/portal.css",
    "sites.egg-info/PKG-INFO",
    "tests/conftest.py",
]


def dockerignore_patterns(root: Path) -> list[str]:
    """.dockerignore's patterns, read as docker-py's APIClient.build reads them."""
    lines = (root / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def build_context(root: Path) -> set[str]:
    """The files `docker build` would send from `root`."""
    paths = exclude_paths(str(root), dockerignore_patterns(root), dockerfile="Dockerfile")
    return {path for path in paths if (root / path).is_file()}


def final_stage_copies(dockerfile: Path) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY from the build context in the last stage."""
    text = dockerfile.read_text().replace("\\\n", " ")
    instructions = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    last_from = max(i for i, line in enumerate(instructions) if line.upper().startswith("FROM "))
    copies = []
    for line in instructions[last_from:]:
        if line.split()[0].upper() != "COPY":
            continue
        words = shlex.split(line)
        if any(word.startswith("--from") for word in words):
            continue
        arguments = [word for word in words[1:] if not word.startswith("--")]
        copies.append((arguments[:-1], arguments[-1]))
    return copies


def image_app_files(root: Path) -> set[str]:
    """The files the final stage copies from the context into /app (its WORKDIR)."""
    context = build_context(root)
    files = set()
    for sources, destination in final_stage_copies(root / "Dockerfile"):
        for source in sources:
            source = source.rstrip("/")
            if source == ".":
                taken = context
            else:
                taken = {p for p in context if p == source or p.startswith(f"{source}/")}
            if destination in (".", "./", "/app", "/app/") or destination.rstrip("/") == source:
                files |= taken
            else:
                pytest.fail(f"COPY {source} {destination}: not a copy to the same path in /app")
    return files


def local_apps() -> dict[str, Path]:
    """Top-level packages of INSTALLED_APPS (and the project package) that live in this repo."""
    names = {entry.split(".")[0] for entry in settings.INSTALLED_APPS}
    names |= {config.name.split(".")[0] for config in apps.get_app_configs()}
    names.add(settings.ROOT_URLCONF.split(".")[0])
    return {name: ROOT / name for name in sorted(names) if (ROOT / name / "__init__.py").exists()}


def tracked_files(folder: str) -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--", folder], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line for line in listed.splitlines() if (ROOT / line).is_file()}


@pytest.fixture(scope="module")
def image_files() -> set[str]:
    return image_app_files(ROOT)


def test_every_local_app_reaches_the_image_whole(image_files):
    assert set(local_apps()) >= {
        "anji_recycling",
        "accounts",
        "agencies",
        "sites",
        "inspections",
        "assessments",
        "dashboards",
    }
    missing = {}
    for folder in [*local_apps(), "templates", "static", "locale"]:
        files = tracked_files(folder)
        assert files, folder
        if files - image_files:
            missing[folder] = sorted(files - image_files)[:5]
    assert missing == {}
    assert {"manage.py", "gunicorn.conf.py", "requirements/base.txt"} <= image_files


def test_the_image_never_holds_secrets_local_data_or_caches(image_files, tmp_path):
    assert [path for path in NEVER if path in image_files] == []
    # The same rules on a folder that has all of them (this checkout may lack some).
    shutil.copy(ROOT / ".dockerignore", tmp_path / ".dockerignore")
    shutil.copy(ROOT / "Dockerfile", tmp_path / "Dockerfile")
    kept = ["manage.py", "sites/models.py", "sites/templates/sites/site_list.html", ".env.example"]
    for path in NEVER + kept:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    context = build_context(tmp_path)
    assert [path for path in NEVER if path in context] == []
    assert [path for path in kept if path not in context] == []


def test_the_wheel_installs_every_local_app(image_files, tmp_path):
    source = tmp_path / "src"
    for path in image_files:
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, source / path)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for app in local_apps():
        expected = {
            path
            for path in tracked_files(app)
            if path.endswith((".py", ".html", ".csv", ".json", ".md"))
        }
        assert sorted(expected - names)[:5] == [], app


def test_the_image_build_steps_run_on_the_image_files_alone(image_files, tmp_path):
    """The Dockerfile's RUN step (compilemessages, collectstatic) with the production settings,
    in a folder holding only the image's files, importing nothing from this checkout."""
    app = tmp_path / "app"
    for path in image_files:
        (app / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, app / path)
    (app / "node_modules").symlink_to(ROOT / "node_modules")  # the assets stage
    env = {
        **os.environ,
        "PYTHONPATH": str(app),
        "DJANGO_SETTINGS_MODULE": "anji_recycling.settings.production",
        "DJANGO_SECRET_KEY": "build-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    # This checkout is installed in editable mode: drop its import hook, so a package missing
    # from the image cannot be found here either.
    no_checkout = (
        "import sys; "
        "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in "
        "getattr(f, '__module__', '')]; "
    )
    where = subprocess.run(
        [sys.executable, "-c", no_checkout + "import dashboards; print(dashboards.__file__)"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == str(app / "dashboards" / "__init__.py"), where.stderr
    run = no_checkout + (
        "import runpy; sys.argv = ['manage.py', *sys.argv[1:]]; "
        "runpy.run_path('manage.py', run_name='__main__')"
    )
    for step in (["compilemessages"], ["collectstatic", "--noinput", "-v0"]):
        done = subprocess.run(
            [sys.executable, "-c", run, *step],
            cwd=app,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, (step, done.stderr[-3000:])
    assert (app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").exists()
    assert (app / "staticfiles" / "staticfiles.json").exists()
