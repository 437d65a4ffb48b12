// Open pages of the documentation site in headless Chromium (playwright-core, the system's Chromium) and check that
// they render: sidebar navigation, title, code, figures (pages marked ":figures"), no console error, no failed request
// and no request leaving the machine. Saves screenshots and summary.json; exit 1 on any failure.
// Started by scripts/docs_check.sh, which serves the built site and installs playwright-core into --deps.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const opt = { base: null, out: 'runs/docs_check', chromium: '/usr/bin/chromium', deps: '.', pages: 'index.html' };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!opt.base) { console.error('usage: node docs_check.mjs --base URL [--pages "a.html b.html:figures"] [--out DIR] [--chromium PATH] [--deps DIR]'); process.exit(2); }
const require = createRequire(path.join(path.resolve(opt.deps), 'package.json'));
const { chromium } = require('playwright-core');
fs.mkdirSync(opt.out, { recursive: true });

const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (...a) => console.log(`[${secs()} s]`, ...a);
const base = new URL(opt.base);
const summary = { base: opt.base, pages: [], ok: false };
const failures = [];
const fail = (msg) => { failures.push(msg); console.error('FAIL:', msg); };

const browser = await chromium.launch({
  executablePath: opt.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

try {
  const specs = opt.pages.split(/\s+/).filter(Boolean);
  for (const [i, spec] of specs.entries()) {
    const [rel, ...flags] = spec.split(':');
    const stem = String(i).padStart(2, '0') + '_' + rel.replace(/\.html$/, '').replace(/[^\w]+/g, '_');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const rec = { page: rel, console_errors: [], failed_requests: [], offsite_requests: [], screenshots: [] };
    summary.pages.push(rec);
    page.on('console', (m) => { if (m.type() === 'error') rec.console_errors.push(m.text()); });
    page.on('pageerror', (e) => rec.console_errors.push(String(e)));
    page.on('requestfailed', (r) => { if (!rec.offsite_requests.includes(r.url())) rec.failed_requests.push(`${r.url()} (${r.failure()?.errorText})`); });
    page.on('response', (r) => { if (r.status() >= 400) rec.failed_requests.push(`${r.url()} (HTTP ${r.status()})`); });
    // the site must be self-contained: anything not served by our http.server is refused and reported
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.protocol === 'data:' || u.protocol === 'blob:' || u.host === base.host) return route.continue();
      rec.offsite_requests.push(u.href);
      return route.abort();
    });
    const shot = async (name, target = page) => {
      await page.waitForTimeout(400);   // let the header's title transition after a scroll settle
      const file = path.join(opt.out, `${stem}_${name}.png`);
      await target.screenshot({ path: file });
      rec.screenshots.push(path.basename(file));
      log('screenshot', file);
    };
    try {
      const resp = await page.goto(new URL(rel, base).href, { waitUntil: 'load', timeout: 60_000 });
      if (!resp || !resp.ok()) fail(`${rel}: HTTP ${resp && resp.status()}`);
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});
      const info = await page.evaluate(() => {
        const q = (s) => [...document.querySelectorAll(s)];
        const nb = document.querySelector('.jupyter-wrapper');
        const imgs = q('.md-content img');
        const navLinks = q('.md-sidebar--primary .md-nav__link');
        return {
          title: document.title,
          h1: (document.querySelector('.md-content h1') || {}).textContent?.replace('¶', '').trim() ?? null,
          sidebar_visible: !!document.querySelector('.md-sidebar--primary') &&
                           document.querySelector('.md-sidebar--primary').getBoundingClientRect().width > 100,
          sidebar_links: navLinks.length,
          sidebar_has_api: navLinks.some((a) => a.textContent.trim() === 'API'),
          active: (document.querySelector('.md-sidebar--primary .md-nav__link--active') || {}).textContent?.trim() ?? null,
          notebook: !!nb,
          code_cells: nb ? q('.jupyter-wrapper .jp-CodeCell .jp-InputArea .highlight-ipynb').length : 0,
          outputs: nb ? q('.jupyter-wrapper .jp-OutputArea-output').length : 0,
          code_blocks: q('.md-content pre code, .md-content .highlight-ipynb pre').length,
          images: imgs.length,
          images_broken: imgs.filter((x) => !(x.complete && x.naturalWidth > 0)).length,
          figures: q('.jupyter-wrapper .jp-RenderedImage img').filter((x) => x.naturalWidth > 0).length,
          math: q('.md-content math').length,
          raw_dollar_math: q('.jp-RenderedMarkdown').some((el) => /\$[^$\s][^$\n]*\$/.test(el.textContent)),
          widget_errors: q('.md-content').some((el) => /Error displaying widget/.test(el.textContent)),
        };
      });
      Object.assign(rec, info);
      log(rel, JSON.stringify(info));
      if (!info.h1) fail(`${rel}: no title heading`);
      if (!info.sidebar_visible || info.sidebar_links < 10) fail(`${rel}: no sidebar navigation (${info.sidebar_links} links)`);
      if (!info.sidebar_has_api) fail(`${rel}: the sidebar has no API section`);
      if (info.notebook && info.code_cells < 1) fail(`${rel}: a notebook page without code`);
      if (!info.notebook && info.code_blocks < 1) fail(`${rel}: no code block`);
      if (flags.includes('figures') && info.figures < 1) fail(`${rel}: no figure`);
      if (info.images_broken) fail(`${rel}: ${info.images_broken} picture(s) did not load`);
      if (info.widget_errors) fail(`${rel}: a widget output shows an error`);
      await shot('top');
      if (info.figures) {   // the first figure, in the page as a reader scrolls to it
        const fig = page.locator('.jupyter-wrapper .jp-RenderedImage img').first();
        await fig.scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollBy(0, -200));
        await shot('figure');
      }
      if (info.notebook && info.code_cells) {
        await page.locator('.jupyter-wrapper .jp-CodeCell .jp-InputArea').first().scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollBy(0, -150));
        await shot('code');
      }
    } catch (e) {
      fail(`${rel}: check crashed: ${e && e.stack || e}`);
      await shot('failure').catch(() => {});
    }
    for (const m of rec.console_errors) fail(`${rel}: console error: ${m}`);
    for (const m of rec.failed_requests) fail(`${rel}: failed request: ${m}`);
    for (const m of rec.offsite_requests) fail(`${rel}: request leaving the machine: ${m}`);
    await page.close();
  }
} finally {
  summary.failures = failures;
  summary.ok = failures.length === 0;
  summary.seconds = Number(secs());
  fs.writeFileSync(path.join(opt.out, 'summary.json'), JSON.stringify(summary, null, 2));
  await browser.close();
}
if (failures.length) { console.error(`docs check FAILED (${failures.length} problem(s)); screenshots and summary.json in ${opt.out}`); process.exit(1); }
console.log(`docs check passed in ${secs()} s; screenshots and summary.json in ${opt.out}`);
