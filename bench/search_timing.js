// Time from typing a query on the search page to its results shown, for
// each query in turn on three fresh pages (bench/search.sh runs it).
const { chromium } = require('playwright-core');
(async () => {
  const url = process.argv[2];
  const queries = process.argv.slice(3);
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  for (let round = 0; round < 3; round++) {
    const ctx = await b.newContext();
    const p = await ctx.newPage();
    const external = [];
    p.on('request', r => { if (!r.url().startsWith(new URL(url).origin)) external.push(r.url()); });
    await p.goto(url);
    await p.waitForFunction(() => document.body.dataset.ready !== undefined);
    const times = [];
    for (const q of queries) {
      const ms = await p.evaluate(async (q) => {
        const before = document.body.dataset.searches;
        const input = document.getElementById('search-q');
        const t0 = performance.now();
        input.value = q;
        input.dispatchEvent(new Event('input'));
        while (document.body.dataset.searches === before) await new Promise(r => setTimeout(r, 2));
        return performance.now() - t0;
      }, q);
      const n = await p.evaluate(() => document.getElementById('search-status').textContent);
      times.push(`${q}: ${ms.toFixed(0)} ms (${n})`);
    }
    console.log(`round ${round + 1}: ` + times.join('; ') + (external.length ? ` EXTERNAL ${external}` : ''));
    await ctx.close();
  }
  await b.close();
})();
