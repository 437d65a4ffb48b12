"""MkDocs hooks of the documentation site (named in docs_build/mkdocs.yml by scripts/docs_nbs.py).

mkdocs-jupyter puts a MathJax loader into every notebook page; the math is MathML already (scripts/docs_nbs.py), so
the loader, which would fetch MathJax from the internet, is taken out.
"""
import re

_re_mathjax = re.compile(r'<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->', re.DOTALL)


def on_page_content(html, page, config, files):
    return _re_mathjax.sub('', html)
