"""The optional C parts of socialdesk: the listening matcher's hot loop (src/socialdesk/listening/_native.c)
and the triage batch scan (src/socialdesk/triage/_scan.c).

Everything else is in pyproject.toml. The extension is optional: where it cannot be compiled (no C
compiler), the install goes on and the matcher and the scan run in pure Python, with the same results.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "socialdesk.listening._native",
            sources=["src/socialdesk/listening/_native.c"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
        Extension(
            "socialdesk.triage._scan",
            sources=["src/socialdesk/triage/_scan.c"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
    ]
)
