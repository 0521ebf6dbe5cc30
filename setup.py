"""The distribution's packages: everything found under ``tracker/``, and ``templates/`` as ``tracker.templates``.

This is the part ``pyproject.toml`` cannot say: setuptools names a discovered package after its folder, and the
templates live beside ``tracker/`` (not inside it) but are installed inside it. Everything else is in
``pyproject.toml``. Data is every non-Python file in a package folder, so a new template or asset ships without
a line here.
"""

from setuptools import find_namespace_packages, setup

SKIP = ["*.__pycache__", "*.__pycache__.*"]
CODE = find_namespace_packages(include=["tracker", "tracker.*"], exclude=SKIP)
TEMPLATES = ["tracker." + name for name in find_namespace_packages(include=["templates", "templates.*"], exclude=SKIP)]

setup(
    packages=CODE + TEMPLATES,
    package_dir={"tracker": "tracker", "tracker.templates": "templates"},
    package_data={"": ["*"]},
    exclude_package_data={"": ["*.py", "*.pyc"]},
)
