/*
 * Workshop Pulse — wall board, page 1 (today's KPIs of one workshop).
 *
 * Plain script, no build step, no libraries: the TVs are offline. Written for
 * older TV browsers too, so no optional chaining / nullish coalescing.
 *
 * Data flow:
 *   1. Resolve the workshop (?workshop=, else the first of /api/v1/workshops, else W001).
 *   2. Fetch /kpis/today once, so the board is filled before the stream opens.
 *   3. Open /kpis/stream (SSE, event "kpi"); every row goes through decide(),
 *      which keeps the board on one business date and never goes back in version.
 *   4. A 1 s tick redraws the clock and the "updated N s ago" line, and triggers
 *      the stale warning and the day-rollover check.
 *
 * Pure helpers (formatting, decide) are exported as window.WorkshopPulseBoard
 * (and module.exports under Node) so tests can call them directly.
 */
'use strict';

(function (root) {
  // ---------------------------------------------------------------- settings

  /** No accepted row for this long: show "data is N minutes old". */
  var STALE_AFTER_S = 5 * 60;
  /** How often, at most, to re-fetch /today while the clock says the day changed. */
  var TODAY_RETRY_MS = 60 * 1000;
  /** Back-off for re-opening a stream the browser gave up on (non-200 answers). */
  var RECONNECT_DELAYS_MS = [2000, 5000, 10000, 30000];
  var DEFAULT_WORKSHOP = 'W001';
  var DEFAULT_TIME_ZONE = 'Asia/Shanghai';
  var LANGS = ['zh-CN', 'en'];
  var EMPTY = '—';

  var TEXT = {
    'zh-CN': {
      title: '车间看板',
      businessDay: '营业日',
      outputToday: '今日产值',
      target: '目标',
      formula: '产值 = (工时+配件+其他 − 优惠) ÷ (1+税率)',
      intake: '进厂台次',
      wip: '在修',
      perVehicle: '单车产值',
      settled: '结算台次',
      unitVehicles: '台',
      unitRos: '台',
      noSettled: '尚无结算',
      invoiceConflicts: '另有 {n} 张发票副本金额不一致，未计入产值',
      connecting: '连接中…',
      live: '实时',
      reconnecting: '重新连接中…',
      waiting: '等待数据…',
      updatedSeconds: '数据更新于 {n} 秒前',
      updatedMinutes: '数据更新于 {n} 分钟前',
      stale: '数据已 {n} 分钟未更新',
      loadFailed: '无法加载数据：{msg}',
      switchLang: 'EN'
    },
    en: {
      title: 'Workshop Pulse',
      businessDay: 'Business day',
      outputToday: 'Output value today',
      target: 'Target',
      formula: 'Output = (labour+parts+other − discount) ÷ (1 + VAT)',
      intake: 'Vehicle intake',
      wip: 'Work in progress',
      perVehicle: 'Output per vehicle',
      settled: 'ROs settled',
      unitVehicles: 'vehicles',
      unitRos: 'ROs',
      noSettled: 'No ROs settled yet',
      invoiceConflicts: '{n} more invoice copies with other amounts: not counted',
      connecting: 'Connecting…',
      live: 'Live',
      reconnecting: 'Reconnecting…',
      waiting: 'Waiting for data…',
      updatedSeconds: 'Updated {n} s ago',
      updatedMinutes: 'Updated {n} min ago',
      stale: 'Data is {n} minutes old',
      loadFailed: 'Cannot load data: {msg}',
      switchLang: '中文'
    }
  };

  // ------------------------------------------------------ pure: formatting

  /** "1234567" → "1,234,567" (string grouping, so no locale can change it). */
  function groupThousands(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function isInt(n) {
    return typeof n === 'number' && Number.isSafeInteger(n);
  }

  /**
   * Splits integer fen into display parts, integer arithmetic only:
   * 1431800 → {sign: '', yuan: '¥14,318', cents: '.00'}. null if not an integer.
   */
  function fenParts(fen) {
    if (!isInt(fen)) return null;
    var abs = fen < 0 ? -fen : fen;
    var cents = abs % 100;
    // abs - cents is an exact multiple of 100, so this division is exact.
    var yuan = (abs - cents) / 100;
    return {
      sign: fen < 0 ? '-' : '',
      yuan: '¥' + groupThousands(String(yuan)),
      cents: '.' + (cents < 10 ? '0' : '') + cents
    };
  }

  /** 1431800 → "¥14,318.00"; -5 → "-¥0.05"; null → "—". */
  function formatFen(fen) {
    var p = fenParts(fen);
    return p ? p.sign + p.yuan + p.cents : EMPTY;
  }

  /** 1234 → "1,234"; null → "—". */
  function formatCount(n) {
    if (!isInt(n)) return EMPTY;
    return (n < 0 ? '-' : '') + groupThousands(String(Math.abs(n)));
  }

  /**
   * Output as tenths of a percent of target, rounded down (so 100.0% means the
   * target is really met): (1431800, 4000000) → 357. null without a positive target.
   */
  function percentTenths(outputFen, targetFen) {
    if (!isInt(outputFen) || !isInt(targetFen) || targetFen <= 0) return null;
    if (outputFen <= 0) return 0;
    var scaled = outputFen * 1000;
    if (!Number.isSafeInteger(scaled)) return null;
    return (scaled - (scaled % targetFen)) / targetFen;
  }

  /** 357 → "35.7%"; null → "—". */
  function formatPercentTenths(tenths) {
    if (!isInt(tenths)) return EMPTY;
    var frac = tenths % 10;
    return groupThousands(String((tenths - frac) / 10)) + '.' + frac + '%';
  }

  /** Fills {name} placeholders. */
  function fill(template, vars) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return vars && key in vars ? String(vars[key]) : m;
    });
  }

  /** The "updated N s ago" line for an age in seconds (null: nothing yet). */
  function freshnessText(ageSeconds, lang) {
    var text = TEXT[lang] || TEXT['zh-CN'];
    if (ageSeconds === null) return { text: text.waiting, stale: false };
    if (ageSeconds >= STALE_AFTER_S) {
      return { text: fill(text.stale, { n: Math.floor(ageSeconds / 60) }), stale: true };
    }
    if (ageSeconds < 60) return { text: fill(text.updatedSeconds, { n: ageSeconds }), stale: false };
    return { text: fill(text.updatedMinutes, { n: Math.floor(ageSeconds / 60) }), stale: false };
  }

  // ------------------------------------------------ pure: which row to show

  var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

  /** Whether a parsed JSON value looks like a KPI row we can show. */
  function isKpiRow(row) {
    return !!row && typeof row === 'object' &&
      typeof row.workshop_id === 'string' &&
      typeof row.business_date === 'string' && ISO_DATE.test(row.business_date) &&
      isInt(row.version);
  }

  /**
   * What to do with an incoming row given the one on screen:
   *   'apply'    same date, same or newer version (equal re-confirms the numbers,
   *              e.g. the first event after a reconnect);
   *   'rollover' a later business date: the day changed, switch to it;
   *   'ignore'   another workshop, an earlier date (late restatement of a past
   *              day), an older version of today, or not a row at all.
   * ISO dates compare correctly as strings.
   */
  function decide(shown, incoming, workshopId) {
    if (!isKpiRow(incoming)) return 'ignore';
    if (workshopId && incoming.workshop_id !== workshopId) return 'ignore';
    if (!shown) return 'apply';
    if (incoming.business_date > shown.business_date) return 'rollover';
    if (incoming.business_date < shown.business_date) return 'ignore';
    return incoming.version >= shown.version ? 'apply' : 'ignore';
  }

  // ------------------------------------------------------ time zone helpers

  var formatterCache = {};
  var warnedZones = {};

  /** A cached Intl.DateTimeFormat; falls back to Asia/Shanghai for a zone this browser does not know. */
  function zoneFormatter(kind, locale, timeZone) {
    var key = kind + '|' + locale + '|' + timeZone;
    if (formatterCache[key]) return formatterCache[key];
    var options = kind === 'clock'
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
      : { year: 'numeric', month: '2-digit', day: '2-digit' };
    options.timeZone = timeZone;
    var formatter;
    try {
      formatter = new Intl.DateTimeFormat(locale, options);
    } catch (e) {
      if (!warnedZones[timeZone]) {
        warnedZones[timeZone] = true;
        console.warn('unknown time zone, using ' + DEFAULT_TIME_ZONE + ':', timeZone);
      }
      options.timeZone = DEFAULT_TIME_ZONE;
      formatter = new Intl.DateTimeFormat(locale, options);
    }
    formatterCache[key] = formatter;
    return formatter;
  }

  /** "14:03:27" in the workshop's zone. */
  function clockText(date, timeZone) {
    return zoneFormatter('clock', 'en-GB', timeZone).format(date);
  }

  /** The calendar date in the workshop's zone as YYYY-MM-DD (the server's business date rule). */
  function zoneDate(date, timeZone) {
    var parts = {};
    zoneFormatter('date', 'en-US', timeZone).formatToParts(date).forEach(function (p) {
      parts[p.type] = p.value;
    });
    return parts.year + '-' + parts.month + '-' + parts.day;
  }

  /** "2026-11-24" → "2026年11月24日 星期二" / "Tue, 24 Nov 2026" (a date, so no zone shift: UTC). */
  function businessDateText(iso, lang) {
    var m = ISO_DATE.test(iso) && iso.split('-').map(Number);
    if (!m) return EMPTY;
    var day = new Date(Date.UTC(m[0], m[1] - 1, m[2]));
    var options = lang === 'en'
      ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }
      : { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', timeZone: 'UTC' };
    try {
      return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', options).format(day);
    } catch (e) {
      return iso;
    }
  }

  var api = {
    STALE_AFTER_S: STALE_AFTER_S,
    TEXT: TEXT,
    groupThousands: groupThousands,
    fenParts: fenParts,
    formatFen: formatFen,
    formatCount: formatCount,
    percentTenths: percentTenths,
    formatPercentTenths: formatPercentTenths,
    freshnessText: freshnessText,
    isKpiRow: isKpiRow,
    decide: decide,
    clockText: clockText,
    zoneDate: zoneDate,
    businessDateText: businessDateText
  };
  root.WorkshopPulseBoard = api;
  if (typeof module === 'object' && module.exports) module.exports = api;

  // Everything below drives the page; under Node without a DOM, stop here.
  if (typeof document === 'undefined') return;

  // ------------------------------------------------------------ page state

  var state = {
    lang: 'zh-CN',
    workshop: null,          // resolved workshop id
    workshopName: null,      // from the workshop list, until a row brings its own
    timeZone: DEFAULT_TIME_ZONE,
    row: null,               // the row on screen
    lastUpdateAt: null,      // Date.now() when a row was last accepted
    lastTodayFetchAt: 0,
    todayInFlight: false,
    stream: null,
    streamFailures: 0,
    reconnectTimer: null
  };

  function t(key, vars) {
    return fill(TEXT[state.lang][key], vars);
  }

  function $(selector) {
    return document.querySelector(selector);
  }

  function $all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  // ------------------------------------------------------------ parameters

  function readParams() {
    var params = new URLSearchParams(root.location.search);
    var lang = params.get('lang');
    // Accept "zh", "EN" etc.; anything unknown falls back to Chinese.
    if (lang && lang.toLowerCase().indexOf('en') === 0) lang = 'en';
    else lang = 'zh-CN';
    var workshop = (params.get('workshop') || '').trim();
    return { lang: lang, workshop: workshop || null };
  }

  function apiUrl(path) {
    return '/api/v1/workshops/' + encodeURIComponent(state.workshop) + path;
  }

  // ---------------------------------------------------------------- labels

  function applyLanguage() {
    document.documentElement.setAttribute('lang', state.lang);
    $all('[data-i18n]').forEach(function (el) {
      el.textContent = t(el.getAttribute('data-i18n'));
    });
    updateLangLink();
    updateTitle();
  }

  /** The corner link switches language and keeps the workshop on screen. */
  function updateLangLink() {
    var params = new URLSearchParams(root.location.search);
    params.set('lang', state.lang === 'en' ? 'zh-CN' : 'en');
    if (state.workshop) params.set('workshop', state.workshop);
    $('#lang-switch').setAttribute('href', '?' + params.toString());
  }

  function displayName() {
    if (state.row && state.row.workshop_name) return state.row.workshop_name;
    return state.workshopName || state.workshop || EMPTY;
  }

  function updateTitle() {
    var name = state.workshop ? displayName() : '';
    document.title = name ? name + ' · ' + t('title') : t('title');
  }

  // ------------------------------------------------------------- rendering

  /** Restarts a short highlight so a changed number catches the eye. */
  function flash(el) {
    el.classList.remove('is-changed');
    void el.offsetWidth; // force a reflow so the animation runs again
    el.classList.add('is-changed');
  }

  /**
   * Writes one number: raw integer into data-value (empty for null), formatted
   * content via `draw`. Flashes only when the value changed, not on first fill.
   */
  function setKpi(name, raw, draw) {
    var value = isInt(raw) ? String(raw) : '';
    $all('[data-kpi="' + name + '"]').forEach(function (el) {
      var before = el.getAttribute('data-value');
      el.setAttribute('data-value', value);
      draw(el, raw);
      if (before !== null && before !== '' && before !== value) flash(el);
    });
  }

  /** Money: yuan big, ".00" smaller; textContent stays "¥14,318.00". */
  function drawMoney(el, fen) {
    var p = fenParts(fen);
    el.textContent = '';
    if (!p) {
      el.textContent = EMPTY;
      return;
    }
    var yuan = document.createElement('span');
    yuan.className = 'money__yuan';
    yuan.textContent = p.sign + p.yuan;
    var cents = document.createElement('span');
    cents.className = 'money__cents';
    cents.textContent = p.cents;
    el.appendChild(yuan);
    el.appendChild(cents);
  }

  function drawCount(el, n) {
    el.textContent = formatCount(n);
  }

  function renderProgress(row) {
    var tenths = percentTenths(row.output_value_fen, row.output_target_fen);
    var bar = $('#output-progress-fill');
    var pct = $('[data-derived="output_percent"]');
    bar.style.width = tenths === null ? '0%' : Math.min(tenths, 1000) / 10 + '%';
    pct.setAttribute('data-value', tenths === null ? '' : String(tenths / 10));
    pct.textContent = formatPercentTenths(tenths);
    $('#output-progress').setAttribute('data-reached', String(tenths !== null && tenths >= 1000));
  }

  function renderHeader(row) {
    document.body.setAttribute('data-business-date', row.business_date);
    document.body.setAttribute('data-version', String(row.version));
    document.body.setAttribute('data-source', row.source || '');
    $('#workshop-name').textContent = displayName();
    var date = $('#business-date');
    date.setAttribute('datetime', row.business_date);
    date.textContent = businessDateText(row.business_date, state.lang);
    updateTitle();
  }

  /** Copies of an invoice whose figures disagree with the copy that counts. */
  function renderInvoiceConflicts(n) {
    var note = $('#invoice-conflicts');
    var shown = isInt(n) && n > 0;
    note.hidden = !shown;
    note.setAttribute('data-value', shown ? String(n) : '');
    note.textContent = shown ? t('invoiceConflicts', { n: formatCount(n) }) : '';
  }

  function render(row) {
    renderHeader(row);
    setKpi('output_value_fen', row.output_value_fen, drawMoney);
    setKpi('output_target_fen', row.output_target_fen, drawMoney);
    renderProgress(row);
    setKpi('intake', row.intake, drawCount);
    setKpi('wip', row.wip, drawCount);
    setKpi('output_per_vehicle_fen', row.output_per_vehicle_fen, drawMoney);
    // null per-vehicle means nothing settled yet, not zero: say so under the dash.
    $('#per-vehicle-note').hidden = isInt(row.output_per_vehicle_fen);
    setKpi('settled_ros', row.settled_ros, drawCount);
    renderInvoiceConflicts(row.invoice_conflicts);
    fitValues();
  }

  /**
   * Shrinks any number wider than its tile (e.g. a six-figure day) so it never
   * clips: the board cannot scroll. Starts from the stylesheet size each time.
   */
  function fitValues() {
    $all('.tile__value').forEach(function (el) {
      el.style.fontSize = '';
      if (!(el.clientWidth > 0) || el.scrollWidth <= el.clientWidth) return;
      var size = parseFloat(root.getComputedStyle(el).fontSize);
      el.style.fontSize = Math.floor(size * el.clientWidth / el.scrollWidth) + 'px';
    });
  }

  function showAlert(message) {
    var el = $('#alert');
    el.textContent = message;
    el.hidden = !message;
  }

  // ----------------------------------------------------------- data intake

  /** Every row, from /today or the stream, comes through here. */
  function onRow(row, origin) {
    var verdict = decide(state.row, row, state.workshop);
    if (verdict === 'ignore') return;
    if (verdict === 'rollover') console.info('business day rolled over to', row.business_date, '(' + origin + ')');
    state.row = row;
    state.lastUpdateAt = Date.now();
    if (typeof row.time_zone === 'string' && row.time_zone) state.timeZone = row.time_zone;
    showAlert('');
    render(row);
    tick();
  }

  /** Fetches JSON; an API error body becomes the Error's message. */
  function fetchJson(url) {
    return fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (body) {
        if (!res.ok) {
          var msg = body && body.error && body.error.message;
          throw new Error(msg || 'HTTP ' + res.status);
        }
        return body;
      });
    });
  }

  function loadToday() {
    state.lastTodayFetchAt = Date.now();
    state.todayInFlight = true;
    return fetchJson(apiUrl('/kpis/today')).then(function (row) {
      onRow(row, 'today');
    }, function (err) {
      console.warn('GET /kpis/today failed:', err);
      // Only shout when the board has nothing to show; otherwise the stale line speaks.
      if (!state.row) showAlert(t('loadFailed', { msg: err.message }));
    }).then(function () {
      state.todayInFlight = false;
    });
  }

  /** ?workshop=, else the first workshop the API lists, else W001. */
  function resolveWorkshop(fromParam) {
    if (fromParam) return Promise.resolve(fromParam);
    return fetchJson('/api/v1/workshops').then(function (list) {
      var first = Array.isArray(list) && list[0];
      if (!first || !first.workshop_id) return DEFAULT_WORKSHOP;
      state.workshopName = first.name || null;
      if (first.time_zone) state.timeZone = first.time_zone;
      return first.workshop_id;
    }, function (err) {
      console.warn('GET /api/v1/workshops failed, using ' + DEFAULT_WORKSHOP + ':', err);
      return DEFAULT_WORKSHOP;
    });
  }

  // ---------------------------------------------------------------- stream

  function setConnection(which) {
    document.body.setAttribute('data-connection', which);
    var el = $('#connection');
    el.setAttribute('data-state', which);
    el.textContent = t(which);
  }

  function openStream() {
    clearTimeout(state.reconnectTimer);
    var es = new EventSource(apiUrl('/kpis/stream'));
    state.stream = es;
    es.addEventListener('open', function () {
      state.streamFailures = 0;
      setConnection('live');
    });
    // The first event after every (re)connect is today's current row, so a
    // reconnect refreshes everything through the same path as any update.
    es.addEventListener('kpi', function (e) {
      var row;
      try {
        row = JSON.parse(e.data);
      } catch (err) {
        console.warn('kpi event is not JSON:', e.data);
        return;
      }
      onRow(row, 'stream');
    });
    es.addEventListener('error', function (e) {
      onStreamError(es, e);
    });
  }

  function onStreamError(es, e) {
    // The server may send an event *named* "error" (it carries data); that is a
    // message about one row, not a broken connection.
    if (e && typeof e.data === 'string') {
      console.warn('server error event:', e.data);
      return;
    }
    if (es !== state.stream) return;
    setConnection('reconnecting');
    // EventSource retries network drops by itself, but gives up for good on a
    // non-200 answer (404/503, a proxy's 502 while the server restarts): then
    // open a new one ourselves, backing off.
    if (es.readyState === 2 /* EventSource.CLOSED */) {
      es.close();
      var i = Math.min(state.streamFailures, RECONNECT_DELAYS_MS.length - 1);
      state.streamFailures += 1;
      state.reconnectTimer = setTimeout(openStream, RECONNECT_DELAYS_MS[i]);
    }
  }

  // ------------------------------------------------------------------ tick

  /** Once a second: clock, data age, stale warning, day rollover. */
  function tick() {
    var now = new Date();
    $('#clock').textContent = clockText(now, state.timeZone);
    renderFreshness(now.getTime());
    checkRollover(now);
  }

  function renderFreshness(nowMs) {
    // Wall-clock age (not performance.now): a TV that slept must come back stale.
    var age = state.lastUpdateAt === null ? null
      : Math.max(0, Math.floor((nowMs - state.lastUpdateAt) / 1000));
    var f = freshnessText(age, state.lang);
    var el = $('#freshness');
    el.textContent = f.text;
    el.setAttribute('data-age-seconds', age === null ? '' : String(age));
    document.body.classList.toggle('is-stale', f.stale);
    document.body.setAttribute('data-stale', String(f.stale));
  }

  /**
   * The stream only speaks when a row changes, so after midnight a quiet
   * workshop would keep showing yesterday as "today" until its first event.
   * When the workshop's calendar date (the server's business-date rule) is past
   * the date on screen — or nothing is on screen — ask /today again, at most once
   * a minute; decide() switches only if the server agrees the day is newer.
   */
  function checkRollover(now) {
    if (!state.workshop || state.todayInFlight) return;
    if (now.getTime() - state.lastTodayFetchAt < TODAY_RETRY_MS) return;
    if (state.row && zoneDate(now, state.timeZone) <= state.row.business_date) return;
    loadToday();
  }

  // ----------------------------------------------------------------- start

  function start() {
    var params = readParams();
    state.lang = params.lang;
    applyLanguage();
    setConnection('connecting');
    tick();
    setInterval(tick, 1000);
    root.addEventListener('resize', fitValues);

    resolveWorkshop(params.workshop).then(function (id) {
      state.workshop = id;
      $('#workshop-name').textContent = displayName();
      updateLangLink();
      updateTitle();
      loadToday();
      openStream();
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})(typeof window !== 'undefined' ? window : globalThis);
