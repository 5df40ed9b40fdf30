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
      // From typed to the first page of results shown, and to the search
      // done (every part answered, the count shown).
      const [first, all] = await p.evaluate(async (q) => {
        const before = document.body.dataset.searches;
        const list = document.getElementById('search-results');
        const input = document.getElementById('search-q');
        let shown = null;
        const t0 = performance.now();
        const seen = new MutationObserver(() => {
          if (shown === null && list.children.length) shown = performance.now() - t0;
        });
        seen.observe(list, { childList: true });
        input.value = q;
        input.dispatchEvent(new Event('input'));
        while (document.body.dataset.searches === before) await new Promise(r => setTimeout(r, 2));
        seen.disconnect();
        const done = performance.now() - t0;
        return [shown ?? done, done];
      }, q);
      const n = await p.evaluate(() => document.getElementById('search-status').textContent);
      times.push(`${q}: first page ${first.toFixed(0)} ms, done ${all.toFixed(0)} ms (${n})`);
    }
    console.log(`round ${round + 1}: ` + times.join('; ') + (external.length ? ` EXTERNAL ${external}` : ''));
    await ctx.close();
  }
  await b.close();
})();
