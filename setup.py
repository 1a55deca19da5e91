"""Build hook: compile the gettext catalogues (.po -> .mo) with babel whenever the package is built.

Everything else about the package lives in pyproject.toml. babel is in [build-system].requires,
so the hook runs for `pip install .` (the .mo files go into the wheel) and for `pip install -e .`
(the .mo files are written beside the .po files in the source tree, which the editable install
imports from; they are git-ignored).
"""

from __future__ import annotations

import os

from babel.messages.setuptools_frontend import compile_catalog
from setuptools import setup
from setuptools.command.build_py import build_py as _build_py

DOMAIN = "dutyboard"
PACKAGE = "dutyboard"


class build_py(_build_py):
    """Copy the package as usual, then compile its message catalogues where it will be imported from."""

    def run(self) -> None:
        """Compile into build_lib for a wheel, into the source tree for an editable install."""
        super().run()
        self._compile_catalogs(self._locale_dir())

    def _locale_dir(self) -> str:
        """Where the .po files are that the installed package will read."""
        if self.editable_mode:
            return os.path.join(self.get_package_dir(PACKAGE), "locale")
        return os.path.join(self.build_lib, PACKAGE, "locale")

    def _compile_catalogs(self, directory: str) -> None:
        """Run babel's compile_catalog over every language under the directory."""
        compiler = self.reinitialize_command("compile_catalog")
        compiler.directory = directory
        compiler.domain = DOMAIN
        compiler.statistics = True
        self.run_command("compile_catalog")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """The copied files plus the compiled catalogues, so installers record them."""
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        locale_dir = self._locale_dir()
        source_locale = os.path.join(self.get_package_dir(PACKAGE), "locale")
        for language in sorted(os.listdir(source_locale)):
            if os.path.exists(os.path.join(source_locale, language, "LC_MESSAGES", DOMAIN + ".po")):
                mo = os.path.join(locale_dir, language, "LC_MESSAGES", DOMAIN + ".mo")
                if mo not in outputs:
                    outputs.append(mo)
        return outputs


setup(cmdclass={"build_py": build_py, "compile_catalog": compile_catalog})
