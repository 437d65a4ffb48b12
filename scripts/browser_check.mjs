// Drive a JupyterLab notebook in headless Chromium (playwright-core, the system's Chromium): run all cells, wait for
// the explorer widgets, move sliders, check that the pictures update, save screenshots. Exit 1 on any failure.
// Started by scripts/browser_check.sh, which starts JupyterLab and installs playwright-core into --deps.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const opt = { url: null, out: 'runs/browser_check', chromium: '/usr/bin/chromium', deps: '.', timeout: '900' };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!opt.url) { console.error('usage: node browser_check.mjs --url URL [--out DIR] [--chromium PATH] [--deps DIR] [--timeout S]'); process.exit(2); }
const require = createRequire(path.join(path.resolve(opt.deps), 'package.json'));
const { chromium } = require('playwright-core');
fs.mkdirSync(opt.out, { recursive: true });

const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (...a) => console.log(`[${secs()} s]`, ...a);
const summary = { url: opt.url, steps: [], ok: false };
const failures = [];
const fail = (msg) => { failures.push(msg); console.error('FAIL:', msg); };
const shot = async (target, name) => {
  const file = path.join(opt.out, name);
  await target.screenshot({ path: file });
  summary.steps.push({ screenshot: name, at_s: Number(secs()) });
  log('screenshot', file);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await chromium.launch({
  executablePath: opt.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));

try {
  // 1. open the notebook and wait for its kernel
  const tok = process.env.JUPYTER_TOKEN;           // the server's one-time token comes in the environment
  await page.goto(tok ? `${opt.url}${opt.url.includes('?') ? '&' : '?'}token=${tok}` : opt.url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.shell.currentWidget
                                    && window.jupyterapp.shell.currentWidget.content
                                    && document.querySelector('.jp-Notebook .jp-CodeCell'), null, { timeout: 180_000 });
  await page.evaluate(async () => {
    const nb = window.jupyterapp.shell.currentWidget;
    await nb.context.ready; await nb.sessionContext.ready;
  });
  await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle',
                             null, { timeout: 180_000 });
  log('notebook open, kernel idle');
  await shot(page, '00_opened.png');

  // 2. Run → Run All Cells, through the menu as a user would (the command directly if the menu is not found)
  try {
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click({ timeout: 10_000 });
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click({ timeout: 10_000 });
    log('clicked Run → Run All Cells');
  } catch (e) {
    log('menu not usable (' + e.message.split('\n')[0] + '), running the command');
    await page.keyboard.press('Escape');
    await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
  }

  // 3. wait until every code cell has run (no [*] prompts, kernel idle twice in a row)
  const deadline = Date.now() + Number(opt.timeout) * 1000;
  let idleTwice = 0, state = null, lastReport = 0;
  while (Date.now() < deadline) {
    await sleep(2000);
    state = await page.evaluate(() => {
      const nb = window.jupyterapp.shell.currentWidget;
      const cells = nb.content.widgets.filter((c) => c.model.type === 'code');
      const counts = cells.map((c) => c.model.executionCount);
      const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map((p) => p.textContent.trim());
      return { total: cells.length, executed: counts.filter((n) => n !== null && n !== undefined).length,
               running: prompts.filter((p) => p.includes('*')).length,
               kernel: nb.sessionContext.session?.kernel?.status ?? 'none' };
    });
    if (Date.now() - lastReport > 20_000) { log('cells', JSON.stringify(state)); lastReport = Date.now(); }
    idleTwice = state.running === 0 && state.kernel === 'idle' ? idleTwice + 1 : 0;
    if (idleTwice >= 2) break;
  }
  summary.run_all = { ...state, seconds: Number(secs()) };
  log('run all finished', JSON.stringify(state));
  if (idleTwice < 2) fail(`cells still running after ${opt.timeout} s`);
  if (state.executed !== state.total) fail(`only ${state.executed} of ${state.total} code cells ran (a cell failed and stopped Run All?)`);

  // 4. errors in outputs: error outputs in the model, tracebacks on stderr, widgets that failed to display
  const errs = await page.evaluate(() => {
    const nb = window.jupyterapp.shell.currentWidget, found = [];
    nb.content.widgets.forEach((c, i) => {
      if (c.model.type !== 'code') return;
      const outs = c.model.outputs.toJSON();
      for (const o of outs) {
        if (o.output_type === 'error') found.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
        if (o.output_type === 'stream' && o.name === 'stderr' && /Traceback|Error:/.test([].concat(o.text).join('')))
          found.push(`cell ${i}: stderr: ${[].concat(o.text).join('').slice(0, 300)}`);
      }
    });
    for (const el of document.querySelectorAll('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'))
      if (/Traceback/.test(el.textContent)) found.push('stderr output with a traceback: ' + el.textContent.slice(0, 300));
    for (const el of document.querySelectorAll('.jp-OutputArea-output'))
      if (/Error displaying widget/.test(el.textContent)) found.push('widget failed to display: ' + el.textContent.slice(0, 200));
    return found;
  });
  errs.forEach(fail);

  // 5. the explorers: three widget outputs, each with an image that has loaded, and their sliders
  const explorers = page.locator('.jp-OutputArea-output:has(img.widget-image)');
  await explorers.first().waitFor({ timeout: 60_000 }).catch(() => {});
  const n = await explorers.count();
  const sliders = await page.locator('.widget-slider').count();
  summary.widgets = { explorers: n, sliders };
  log(`explorers rendered: ${n}, sliders: ${sliders}`);
  if (n < 3) fail(`expected 3 explorer widgets (map browser, FOD, DADF), found ${n}`);
  if (sliders < 3) fail(`expected the explorers' sliders, found ${sliders}`);
  const imgs = await page.$$eval('img.widget-image', (xs) => xs.map((x) => ({ w: x.naturalWidth, h: x.naturalHeight })));
  summary.widgets.images = imgs;
  if (!imgs.length || imgs.some((s) => s.w < 100 || s.h < 50)) fail(`an explorer picture did not load: ${JSON.stringify(imgs)}`);
  await page.locator('.jp-Notebook').evaluate((el) => el.scrollTo(0, 0)).catch(() => {});
  await shot(page, '01_after_run_all.png');
  const names = ['02_anomaly_map_browser.png', '03_fod_explorer.png', '04_dadf_explorer.png'];
  for (let i = 0; i < Math.min(n, 3); i++) {
    await explorers.nth(i).scrollIntoViewIfNeeded();
    await shot(explorers.nth(i), names[i]);
  }

  // 6. move sliders: drag the map browser's threshold handle with the mouse, step the FOD patch column with the keyboard
  const changed = async (exp, act, what) => {
    const img = exp.locator('img.widget-image').first();
    const before = await img.getAttribute('src');
    await act();
    try {
      await page.waitForFunction(([el, src]) => el.getAttribute('src') !== src && el.complete && el.naturalWidth > 0,
                                 [await img.elementHandle(), before], { timeout: 60_000 });
      log(`${what}: picture updated`);
      return true;
    } catch { fail(`${what}: the picture did not change within 60 s`); return false; }
  };
  if (n >= 1) {
    const exp = explorers.nth(0);
    const slider = exp.locator('.widget-slider').first();
    const readout = slider.locator('.widget-readout');
    const r0 = (await readout.textContent())?.trim();
    const handle = slider.locator('.noUi-handle');
    await handle.scrollIntoViewIfNeeded();
    const box = await handle.boundingBox();
    if (!box) fail('threshold slider handle not found');
    else {
      await changed(exp, async () => {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + box.width / 2 + 8 * k, box.y + box.height / 2);
        await page.mouse.up();
      }, 'threshold slider (mouse drag)');
      const r1 = (await readout.textContent())?.trim();
      summary.slider = { readout_before: r0, readout_after: r1 };
      log(`threshold readout ${r0} → ${r1}`);
      if (r0 === r1) fail('threshold readout did not change after dragging the slider');
      await shot(exp, '05_browser_after_threshold_drag.png');
    }
  }
  if (n >= 2) {
    const exp = explorers.nth(1);
    const col = exp.locator('.widget-slider', { hasText: 'patch col' }).first();
    const handle = col.locator('.noUi-handle');
    await handle.scrollIntoViewIfNeeded();
    await changed(exp, async () => { await handle.focus(); await page.keyboard.press('ArrowRight'); }, 'FOD patch column (keyboard)');
    await shot(exp, '06_fod_after_patch_move.png');
  }
  if (n >= 3) {
    const exp = explorers.nth(2);
    const btn = exp.locator('button', { hasText: 'most anomalous token' }).first();
    const row = exp.locator('.widget-slider', { hasText: 'token row' }).first().locator('.noUi-handle');
    await row.scrollIntoViewIfNeeded();
    const [now, max] = [Number(await row.getAttribute('aria-valuenow')), Number(await row.getAttribute('aria-valuemax'))];
    const key = now < max ? 'ArrowRight' : 'ArrowLeft';
    await changed(exp, async () => { await row.focus(); await page.keyboard.press(key); }, `DADF token row ${now} (keyboard ${key})`);
    await shot(exp, '07_dadf_after_token_move.png');
    // the explorer started on the most anomalous token, so the button moves it back
    await changed(exp, async () => { await btn.click(); }, 'DADF "most anomalous token" button');
  }
  // an explorer shows an error raised by a control's callback in its info line (class fod-dadf-error)
  const cbErr = await page.$$eval('.fod-dadf-error', (xs) => xs.map((x) => x.textContent));
  if (cbErr.length) fail('errors shown by the explorers: ' + cbErr.slice(0, 3).join(' | '));
} catch (e) {
  fail('browser check crashed: ' + (e && e.stack || e));
  await page.screenshot({ path: path.join(opt.out, '99_failure.png') }).catch(() => {});
} finally {
  summary.failures = failures;
  summary.ok = failures.length === 0;
  summary.seconds = Number(secs());
  summary.console_errors = consoleErrors.slice(0, 20);
  fs.writeFileSync(path.join(opt.out, 'summary.json'), JSON.stringify(summary, null, 2));
  await browser.close();
}
if (failures.length) { console.error(`browser check FAILED (${failures.length} problem(s)); screenshots and summary.json in ${opt.out}`); process.exit(1); }
console.log(`browser check passed in ${secs()} s; screenshots and summary.json in ${opt.out}`);
