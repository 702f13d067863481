/*
 * ticker-etl chart page. Two modes, one drawing code:
 *  - server (the read API's page at /): the form picks tickers and a range, bars come from /v1/bars, and the minute
 *    view follows /v1/stream (Server-Sent Events) to update live;
 *  - file (the chart command and Chart.writeHtml): the bars are inlined in #ticker-etl-data.
 * Each day's candle is coloured by its phase; volume bars are tinted the same way; the prior-volume line is the
 * volume each day was compared with. Every chart also leaves its numbers in the DOM (data-* attributes and a
 * table), so what is drawn can be checked without reading pixels.
 */
(function () {
  'use strict';

  var PHASES = ['Bull', 'Bear', 'Neutral'];
  var CANDLE = { Bull: '#16a34a', Bear: '#dc2626', Neutral: '#64748b' };
  var VOLUME = { Bull: '#86efac', Bear: '#fca5a5', Neutral: '#cbd5e1' };
  var PRIOR = '#d97706';
  var MANY = 300; // a longer series opens zoomed to its last MANY bars
  var PRICE_GRID = { left: 72, right: 20, top: 14, height: 270 };
  var VOLUME_GRID = { left: 72, right: 20, top: 306, height: 84 };

  var body = document.body;
  var main = document.getElementById('charts');
  var views = {};
  var source = null;

  /** Minute bars carry no phase (data contract): they are drawn in the Neutral colour. */
  function phaseOf(bar) {
    return PHASES.indexOf(bar.phase) >= 0 ? bar.phase : 'Neutral';
  }

  function newYorkToday() {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit',
      day: '2-digit' }).format(new Date());
  }

  function minusDays(isoDate, days) {
    var d = new Date(isoDate + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() - days);
    return d.toISOString().substring(0, 10);
  }

  function compact(n) {
    if (n == null) return '–';
    var abs = Math.abs(n);
    if (abs >= 1e9) return (n / 1e9).toFixed(2) + 'B';
    if (abs >= 1e6) return (n / 1e6).toFixed(2) + 'M';
    if (abs >= 1e3) return (n / 1e3).toFixed(1) + 'k';
    return String(n);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function drawLegend() {
    var legend = document.querySelector('.legend');
    legend.textContent = '';
    PHASES.forEach(function (p) {
      var item = el('span', 'phase-key');
      var swatch = el('span', 'swatch');
      swatch.style.background = CANDLE[p];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(p));
      legend.appendChild(item);
    });
    var volume = el('span');
    var v = el('span', 'swatch');
    v.style.background = 'linear-gradient(90deg,' + VOLUME.Bull + ',' + VOLUME.Bear + ',' + VOLUME.Neutral + ')';
    volume.appendChild(v);
    volume.appendChild(document.createTextNode('Volume (tinted by phase)'));
    legend.appendChild(volume);
    var prior = el('span');
    var line = el('span', 'swatch line');
    line.style.background = PRIOR;
    prior.appendChild(line);
    prior.appendChild(document.createTextNode('Prior volume (previous session)'));
    legend.appendChild(prior);
  }

  function makeView(ticker, timespan) {
    var section = el('section', 'ticker');
    section.id = 'chart-' + ticker;
    section.dataset.ticker = ticker;
    section.dataset.timespan = timespan;
    section.appendChild(el('h2', null, ticker));
    var summary = el('p', 'summary', 'loading…');
    section.appendChild(summary);
    var chartEl = el('div', 'chart');
    section.appendChild(chartEl);
    var details = el('details');
    details.appendChild(el('summary', null, 'Bars as a table'));
    var table = el('table');
    details.appendChild(table);
    section.appendChild(details);
    main.appendChild(section);
    return { ticker: ticker, timespan: timespan, section: section, summary: summary, chartEl: chartEl,
      table: table, chart: null, bars: new Map(), updates: 0, lastUpdate: null, pending: null };
  }

  function sortedBars(view) {
    return Array.from(view.bars.values()).sort(function (a, b) { return a.start_ms - b.start_ms; });
  }

  function tooltip(view, bars) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      if (!list.length) return '';
      var bar = bars[list[0].dataIndex];
      if (!bar) return '';
      var when = view.timespan === 'minute' ? bar.start_et.substring(0, 16).replace('T', ' ') + ' ET'
        : bar.trading_date;
      return [when + ' · ' + (bar.phase || 'no phase'),
        'open ' + bar.open + ' · high ' + bar.high,
        'low ' + bar.low + ' · close ' + bar.close,
        'volume ' + compact(bar.volume) + ' · prior ' + compact(bar.prior_volume)].join('<br>');
    };
  }

  function render(view) {
    var bars = sortedBars(view);
    var minute = view.timespan === 'minute';
    var counts = { Bull: 0, Bear: 0, Neutral: 0 };
    var labels = [];
    var candles = [];
    var volumes = [];
    var prior = [];
    bars.forEach(function (b) {
      var phase = phaseOf(b);
      var colour = CANDLE[phase];
      counts[phase]++;
      labels.push(minute ? b.start_et.substring(11, 16) : b.trading_date);
      candles.push({ value: [b.open, b.close, b.low, b.high],
        itemStyle: { color: colour, color0: colour, borderColor: colour, borderColor0: colour } });
      volumes.push({ value: b.volume, itemStyle: { color: VOLUME[phase] } });
      prior.push(b.prior_volume);
    });
    if (!view.chart) {
      view.chart = echarts.init(view.chartEl, null, { renderer: 'svg' });
    }
    var zoomStart = bars.length > MANY ? 100 - (MANY / bars.length) * 100 : 0;
    var zoom = bars.length > MANY ? [
      { type: 'inside', xAxisIndex: [0, 1], start: zoomStart, end: 100 },
      { type: 'slider', xAxisIndex: [0, 1], start: zoomStart, end: 100, bottom: 4, height: 18 }] : [];
    var axisLabel = { color: '#475569' };
    var splitLine = { lineStyle: { color: '#e2e8f0' } };
    view.chart.setOption({
      animation: false,
      textStyle: { fontFamily: 'system-ui, sans-serif' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'cross' }, confine: true, formatter: tooltip(view, bars) },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: [PRICE_GRID, VOLUME_GRID],
      xAxis: [
        { type: 'category', data: labels, boundaryGap: true, axisLabel: { show: false }, axisTick: { show: false } },
        { type: 'category', gridIndex: 1, data: labels, boundaryGap: true, axisLabel: axisLabel }],
      yAxis: [
        { scale: true, axisLabel: axisLabel, splitLine: splitLine },
        { gridIndex: 1, min: 0, splitNumber: 2, axisLabel: { color: '#475569', formatter: compact },
          splitLine: splitLine }],
      dataZoom: zoom,
      series: [
        { name: 'Price', type: 'candlestick', data: candles, barMaxWidth: 28 },
        { name: 'Volume', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: volumes, barMaxWidth: 28 },
        { name: 'Prior volume', type: 'line', xAxisIndex: 1, yAxisIndex: 1, data: prior, symbol: 'none',
          connectNulls: false, lineStyle: { color: PRIOR, width: 1.5 }, itemStyle: { color: PRIOR }, z: 5 }]
    }, true);
    if (view.chart.getZr && view.chart.getZr().flush) {
      view.chart.getZr().flush(); // draw now, so that a page read right after this sees the candles
    }
    var s = view.section.dataset;
    s.bars = bars.length;
    s.bull = counts.Bull;
    s.bear = counts.Bear;
    s.neutral = counts.Neutral;
    s.updates = view.updates;
    // Where the candles are drawn, in page pixels (left,top,width,height), for checks of a screenshot.
    var box = view.chartEl.getBoundingClientRect();
    s.plot = [Math.round(box.left + window.scrollX + PRICE_GRID.left), Math.round(box.top + window.scrollY +
      PRICE_GRID.top), Math.round(box.width - PRICE_GRID.left - PRICE_GRID.right), PRICE_GRID.height].join(',');
    var first = bars.length ? (minute ? bars[0].start_et.substring(11, 16) : bars[0].trading_date) : '';
    var last = bars.length ? labels[labels.length - 1] : '';
    var text = bars.length === 0 ? 'no bars stored for this range'
      : bars.length + (minute ? ' minutes ' : ' days ') + first + ' – ' + last +
        (minute ? '' : ' · Bull ' + counts.Bull + ' · Bear ' + counts.Bear + ' · Neutral ' + counts.Neutral);
    view.summary.textContent = text;
    if (source && minute) {
      var live = el('span', 'live', ' · live');
      view.summary.appendChild(live);
      if (view.lastUpdate) {
        view.summary.appendChild(document.createTextNode(' · ' + view.updates + ' updates, last at ' +
          view.lastUpdate));
      }
    }
    fillTable(view, bars);
  }

  function fillTable(view, bars) {
    var table = view.table;
    table.textContent = '';
    var head = el('tr');
    ['date', 'open', 'high', 'low', 'close', 'volume', 'prior volume', 'phase'].forEach(function (h) {
      head.appendChild(el('th', null, h));
    });
    table.appendChild(head);
    bars.forEach(function (b) {
      var row = el('tr');
      row.dataset.start = b.start_ms;
      row.dataset.phase = b.phase == null ? '' : b.phase;
      row.dataset.colour = CANDLE[phaseOf(b)];
      row.appendChild(el('td', null, view.timespan === 'minute' ? b.start_et.substring(0, 16) : b.trading_date));
      [b.open, b.high, b.low, b.close, b.volume, b.prior_volume].forEach(function (v) {
        row.appendChild(el('td', null, v == null ? '–' : String(v)));
      });
      var phase = el('td', 'phase');
      var swatch = el('span', 'swatch');
      swatch.style.background = CANDLE[phaseOf(b)];
      phase.appendChild(swatch);
      phase.appendChild(document.createTextNode(b.phase == null ? 'none' : b.phase));
      row.appendChild(phase);
      table.appendChild(row);
    });
  }

  function showError(view, message) {
    view.section.dataset.error = message;
    view.summary.textContent = '';
    view.summary.appendChild(el('span', 'error', message));
  }

  /** Re-draws at most every 250 ms however fast bars arrive. */
  function scheduleRender(view) {
    if (view.pending) return;
    view.pending = setTimeout(function () {
      view.pending = null;
      render(view);
    }, 250);
  }

  function follow(tickers, date, adjusted) {
    var q = new URLSearchParams({ tickers: tickers.join(','), timespan: 'minute', date: date });
    if (adjusted) q.set('adjusted', adjusted);
    source = new EventSource('v1/stream?' + q.toString());
    source.onopen = function () { body.dataset.live = 'open'; };
    source.onerror = function () { body.dataset.live = 'reconnecting'; };
    source.addEventListener('bar', function (event) {
      var bar = JSON.parse(event.data);
      var view = views[bar.ticker];
      if (!view) return;
      var before = view.bars.get(bar.start_ms);
      if (before && JSON.stringify(before) === JSON.stringify(bar)) return; // the snapshot a stream starts with
      view.bars.set(bar.start_ms, bar);
      view.updates++;
      view.lastUpdate = bar.start_et.substring(11, 16) + ' ET';
      scheduleRender(view);
    });
  }

  function formValues(form) {
    var f = form.elements;
    return { tickers: f.tickers.value, view: f.view.value, from: f.from.value, to: f.to.value, date: f.date.value,
      adjusted: f.adjusted.value };
  }

  function tickersOf(text) {
    var seen = [];
    text.split(',').forEach(function (t) {
      var s = t.trim().toUpperCase();
      if (s && seen.indexOf(s) < 0) seen.push(s);
    });
    return seen;
  }

  function showViewFields(form) {
    var minute = form.elements.view.value === 'minute';
    form.querySelectorAll('.days').forEach(function (e) { e.hidden = minute; });
    form.querySelectorAll('.minutes').forEach(function (e) { e.hidden = !minute; });
  }

  async function loadOne(view, query) {
    try {
      var response = await fetch('v1/bars?' + query.toString());
      var payload = await response.json();
      if (!response.ok) {
        showError(view, payload.error ? payload.error.message : 'HTTP ' + response.status);
        return;
      }
      payload.forEach(function (b) { view.bars.set(b.start_ms, b); });
      render(view);
    } catch (e) {
      showError(view, String(e));
    }
  }

  async function load(form) {
    body.dataset.state = 'loading';
    if (source) {
      source.close();
      source = null;
    }
    Object.keys(views).forEach(function (t) { if (views[t].chart) views[t].chart.dispose(); });
    views = {};
    main.textContent = '';
    var p = formValues(form);
    var minute = p.view === 'minute';
    var tickers = tickersOf(p.tickers);
    var loads = tickers.map(function (ticker) {
      var view = views[ticker] = makeView(ticker, minute ? 'minute' : 'day');
      var q = new URLSearchParams({ ticker: ticker, from: minute ? p.date : p.from, to: minute ? p.date : p.to,
        timespan: minute ? 'minute' : 'day', format: 'json' });
      if (p.adjusted) q.set('adjusted', p.adjusted);
      return loadOne(view, q);
    });
    if (minute && tickers.length) {
      follow(tickers, p.date, p.adjusted);
    }
    await Promise.all(loads);
    body.dataset.state = 'ready';
  }

  function startServerPage() {
    var form = document.getElementById('controls');
    var params = new URLSearchParams(location.search);
    var today = newYorkToday();
    var f = form.elements;
    f.tickers.value = params.get('tickers') || f.tickers.value;
    f.view.value = params.get('view') === 'minute' ? 'minute' : 'day';
    f.to.value = params.get('to') || today;
    f.from.value = params.get('from') || minusDays(f.to.value, 91);
    f.date.value = params.get('date') || today;
    f.adjusted.value = params.get('adjusted') || '';
    showViewFields(form);
    f.view.addEventListener('change', function () { showViewFields(form); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var p = formValues(form);
      var q = new URLSearchParams({ tickers: tickersOf(p.tickers).join(','), view: p.view });
      if (p.view === 'minute') q.set('date', p.date); else { q.set('from', p.from); q.set('to', p.to); }
      if (p.adjusted) q.set('adjusted', p.adjusted);
      history.replaceState(null, '', '?' + q.toString());
      load(form);
    });
    load(form);
  }

  function startFile() {
    var data = JSON.parse(document.getElementById('ticker-etl-data').textContent);
    Object.keys(data.tickers).forEach(function (ticker) {
      var view = views[ticker] = makeView(ticker, data.timespan);
      data.tickers[ticker].forEach(function (b) { view.bars.set(b.start_ms, b); });
      render(view);
    });
    body.dataset.state = 'ready';
  }

  window.addEventListener('resize', function () {
    Object.keys(views).forEach(function (t) { if (views[t].chart) views[t].chart.resize(); });
  });

  drawLegend();
  if (body.dataset.mode === 'file') startFile(); else startServerPage();
})();
