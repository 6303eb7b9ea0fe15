/* Autopilot dashboard: plain JavaScript, no build step. Every string from the server goes into
   the page through textContent (h() below); nothing is ever assigned to innerHTML. */
(function () {
  'use strict';

  var REFRESH_MS = 5000;
  var state = { session: null, timer: null, screen: null, jobsCursor: [], chartRange: '24h', chart: null };

  // ---------- DOM helpers ----------
  function h(tag, props) {
    var e = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'class') e.className = v;
        else if (k === 'on') Object.keys(v).forEach(function (ev) { e.addEventListener(ev, v[ev]); });
        else if (k === 'dataset') Object.keys(v).forEach(function (d) { e.dataset[d] = v[d]; });
        else e.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(parent, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(parent, x); }); return; }
    parent.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function $(id) { return document.getElementById(id); }

  // ---------- formatting ----------
  function ago(iso) {
    if (!iso) return '—';
    var s = (Date.now() - Date.parse(iso)) / 1000, future = s < 0, a = Math.abs(s), t;
    if (a < 60) t = Math.round(a) + ' s';
    else if (a < 3600) t = Math.round(a / 60) + ' min';
    else if (a < 86400) t = (a / 3600).toFixed(a < 36000 ? 1 : 0) + ' h';
    else t = (a / 86400).toFixed(1) + ' d';
    return future ? 'in ' + t : t + ' ago';
  }
  function when(iso) {
    return iso ? h('span', { title: new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'), class: 'nowrap', text: ago(iso) }) : h('span', { class: 'muted', text: '—' });
  }
  function stamp(iso) { return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1 UTC') : '—'; }
  function dur(ms) {
    if (ms === null || ms === undefined) return '—';
    if (ms < 1000) return ms + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
    return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }
  function num(n) { return (n || 0).toLocaleString('en-US'); }
  function bytes(n) {
    if (n === null || n === undefined) return '—';
    var u = ['B', 'KB', 'MB', 'GB', 'TB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + ' ' + u[i];
  }
  function badge(s, extra) { return h('span', { class: 'badge ' + (s || ''), text: extra || s || '—' }); }
  function engine(e) { return h('span', { class: 'engine ' + e, text: e }); }

  // ---------- API ----------
  function api(path, opts) {
    opts = opts || {};
    var init = { method: opts.method || 'GET', credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (init.method === 'POST') {
      init.headers['X-Autopilot-Csrf'] = state.session ? state.session.csrf : '';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body || {});
    }
    return fetch('api/' + path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (r.status === 401 && !opts.noLogin) { showLogin(); throw new Error('sign in required'); }
        if (!r.ok) { var e = new Error(body.error || ('HTTP ' + r.status)); e.status = r.status; throw e; }
        return body;
      });
    });
  }
  function flash(msg, isError) {
    var f = $('flash');
    f.textContent = msg;
    f.className = 'flash' + (isError ? ' error' : '');
    f.hidden = false;
    clearTimeout(flash.t);
    flash.t = setTimeout(function () { f.hidden = true; }, isError ? 9000 : 5000);
  }
  function act(path, label, body) {
    return api(path, { method: 'POST', body: body }).then(function (r) {
      flash(label + ': done' + (r.executionId ? ' (execution ' + r.executionId + ')' : ''));
      refresh();
      return r;
    }).catch(function (e) { flash(label + ' failed: ' + e.message, true); });
  }
  function canAct(kind, action) {
    var s = state.session;
    return s && s.canAct && s.features.actions[kind] && s.features.actions[kind].indexOf(action) >= 0;
  }
  function actionButton(kind, action, label, path, cls, body) {
    if (!canAct(kind, action)) return null;
    return h('button', { class: 'btn ' + (cls || ''), dataset: { action: action }, text: label, on: { click: function (ev) {
      ev.preventDefault(); ev.target.disabled = true;
      act(path, label, body && body()).then(function () { ev.target.disabled = false; });
    } } });
  }

  // ---------- sign-in ----------
  function showLogin() {
    stopTimer();
    $('title').textContent = 'Sign in';
    var user = h('input', { name: 'user', autocomplete: 'username' });
    var pw = h('input', { name: 'password', type: 'password', autocomplete: 'current-password' });
    var token = h('input', { name: 'token', type: 'password', autocomplete: 'off' });
    var msg = h('div', { class: 'error-text' });
    var form = h('form', { on: { submit: function (ev) {
      ev.preventDefault();
      api('login', { method: 'POST', noLogin: true, body: { user: user.value, password: pw.value, token: token.value } })
        .then(function () { return start(); })
        .catch(function (e) { msg.textContent = e.message; });
    } } },
      h('label', null, 'User', user), h('label', null, 'Password', pw),
      h('div', { class: 'muted small', text: 'or an API token' }), h('label', null, 'Token', token),
      h('button', { class: 'btn primary', type: 'submit', text: 'Sign in' }), msg);
    clear($('view')).appendChild(h('div', { class: 'card login' }, h('h2', { text: 'Autopilot dashboard' }), form));
  }

  // ---------- screens ----------
  var screens = {
    overview: { title: 'Overview', render: overview },
    tasks: { title: 'Tasks', render: tasks },
    jobs: { title: 'Jobs', render: jobs },
    job: { title: 'Job', render: job },
    cron: { title: 'pg_cron', render: cron },
    bootstrap: { title: 'Bootstrap', render: bootstrap },
    backups: { title: 'Backups', render: backups },
    search: { title: 'Search', render: search }
  };

  function route() {
    var hash = location.hash.replace(/^#\/?/, '') || 'overview';
    var parts = hash.split('?');
    var segs = parts[0].split('/');
    var params = new URLSearchParams(parts[1] || '');
    return { name: screens[segs[0]] ? segs[0] : 'overview', arg: segs[1] ? decodeURIComponent(segs[1]) : null, params: params };
  }

  function render(full) {
    var r = route();
    var sc = screens[r.name];
    if (full || state.screen !== r.name + '/' + r.arg) {
      state.screen = r.name + '/' + r.arg;
      state.chart = null;
      $('title').textContent = sc.title;
      document.querySelectorAll('#nav a').forEach(function (a) {
        a.classList.toggle('active', a.dataset.screen === (r.name === 'job' ? 'jobs' : r.name));
      });
      clear($('view')).appendChild(h('div', { class: 'empty', text: 'Loading…' }));
      full = true;
    }
    return sc.render(r, full).then(function () { $('live').classList.remove('stale'); })
      .catch(function (e) { $('live').classList.add('stale'); if (e.message !== 'sign in required') flash(e.message, true); });
  }
  function refresh() { return render(false); }
  function stopTimer() { if (state.timer) clearInterval(state.timer); state.timer = null; }
  function startTimer() {
    stopTimer();
    state.timer = setInterval(function () { if (!document.hidden) refresh(); }, REFRESH_MS);
  }
  function view() { return $('view'); }
  function swap(node) { var v = view(); clear(v); add(v, node); }

  // ----- Overview -----
  function overview() {
    return Promise.all([api('overview'), api('chart?range=' + state.chartRange)]).then(function (res) {
      var o = res[0], chart = res[1], hl = o.health;
      var totals = { pg_cron: 0, 'db-scheduler': 0 };
      var failures = 0;
      Object.keys(o.counts).forEach(function (e) {
        Object.keys(o.counts[e]).forEach(function (s) {
          if (s !== 'scheduled' && s !== 'running') totals[e] = (totals[e] || 0) + o.counts[e][s];
          if (s === 'failed' || s === 'dead' || s === 'retrying') failures += o.counts[e][s];
        });
      });
      var cards = h('div', { class: 'grid' },
        h('div', { class: 'card' }, h('h2', { text: 'Instances alive' }), h('div', { class: 'big', text: o.instances.filter(function (i) { return i.alive; }).length }),
          h('div', { class: 'sub', text: o.instances.length + ' recorded; this one: ' + o.instance })),
        h('div', { class: 'card' }, h('h2', { text: 'Schema version' }), h('div', { class: 'big', text: hl.schemaVersion }),
          h('div', { class: 'sub', text: hl.schedulerRunning ? 'scheduler running here' : 'attached: nothing runs here' })),
        h('div', { class: 'card' }, h('h2', { text: 'SQL engine' }), h('div', { class: 'big' }, engine(hl.pgCronUsable ? 'pg_cron' : 'db-scheduler')),
          h('div', { class: 'sub wrap', text: hl.pgCronReason })),
        h('div', { class: 'card' }, h('h2', { text: 'Runs, last 24 h' }), h('div', { class: 'big', text: num(totals.pg_cron + totals['db-scheduler']) }),
          h('div', { class: 'sub', text: num(totals.pg_cron) + ' pg_cron · ' + num(totals['db-scheduler']) + ' db-scheduler' })),
        h('div', { class: 'card' }, h('h2', { text: 'Failing tasks' }), h('div', { class: 'big', text: hl.failingTasks.length }),
          h('div', { class: 'sub' }, hl.failingTasks.length ? hl.failingTasks.map(function (t, i) {
            return [i ? ', ' : '', h('a', { href: '#/jobs?task=' + encodeURIComponent(t) + '&state=failed,dead', text: t })];
          }) : num(failures) + ' failed attempts in 24 h')));
      var chartCard = h('div', { class: 'card' },
        h('div', { class: 'panel-head' }, h('h2', { text: 'Executions and failures' }),
          h('div', { class: 'seg' }, ['24h', '7d'].map(function (r) {
            return h('button', { class: state.chartRange === r ? 'on' : '', text: r === '24h' ? 'Last 24 h' : 'Last 7 d',
              on: { click: function () { state.chartRange = r; render(true); } } });
          }))),
        h('div', { id: 'chart', class: 'chart' }),
        h('div', { class: 'sub muted small', text: 'source: ' + chart.source + ' · ' + (chart.bucketSeconds / 3600) + ' h buckets' }));
      var states = ['scheduled', 'running', 'succeeded', 'skipped', 'retrying', 'failed', 'dead', 'cancelled'];
      var countsCard = h('div', { class: 'card' }, h('h2', { text: 'Jobs by state (finished: last 24 h)' }),
        h('div', { class: 'counts-wrap' }, h('table', { class: 'counts' }, h('thead', null, h('tr', null, h('th', { text: 'engine' }),
          states.map(function (s) { return h('th', { class: 'num', text: s }); }))),
          h('tbody', null, Object.keys(o.counts).map(function (e) {
            return h('tr', { dataset: { engine: e } }, h('td', null, engine(e)), states.map(function (s) {
              var n = o.counts[e][s] || 0;
              return h('td', { class: 'num' }, n ? h('a', { href: '#/jobs?engine=' + e + '&state=' + s, text: num(n) }) : h('span', { class: 'muted', text: '0' }));
            }));
          })))));
      var engines = h('div', { class: 'card' }, h('h2', { text: 'Engine per task' }),
        h('div', { class: 'sub', text: o.tasksByEngine.pg_cron + ' on pg_cron · ' + o.tasksByEngine['db-scheduler'] + ' on db-scheduler' }),
        h('table', null, h('tbody', null, o.engines.map(function (t) {
          return h('tr', null, h('td', { class: 'nowrap' }, h('a', { href: '#/jobs?task=' + encodeURIComponent(t.task), text: t.task })),
            h('td', null, engine(t.engine)), h('td', { class: 'muted small wrap', text: t.reason }));
        }))));
      var instances = h('div', { class: 'card' }, h('h2', { text: 'Instances' }),
        o.instances.length ? h('table', { id: 'instances' }, h('tbody', null, o.instances.slice(0, 10).map(function (i) {
          return h('tr', null, h('td', { class: 'mono nowrap', text: i.name }), h('td', null, badge(i.alive ? 'ok' : 'stopped', i.alive ? 'alive' : 'stopped')),
            h('td', { class: 'small muted', text: (i.packs || []).join(', ') + ' · ' + i.tasks + ' tasks' }),
            h('td', null, when(i.heartbeatAt)));
        }))) : h('div', { class: 'empty', text: 'No host has recorded itself on this database.' }),
        h('h2', { text: 'Recent actions', class: 'spaced' }),
        o.actions.length ? h('table', null, h('tbody', null, o.actions.map(function (a) {
          return h('tr', null, h('td', null, when(a.at)), h('td', { text: a.actor }), h('td', { text: a.action + ' ' + a.target }), h('td', null, badge(a.outcome)));
        }))) : h('div', { class: 'muted small', text: 'No action taken through the dashboard yet.' }));
      swap([cards, countsCard, h('div', { class: 'row' }, chartCard, instances), engines]);
      drawChart(chart);
    });
  }

  function drawChart(c) {
    var el = $('chart');
    if (!el) return;
    var width = Math.max(300, el.clientWidth);
    if (typeof uPlot === 'undefined') { el.textContent = 'chart library missing'; return; }
    var bars = uPlot.paths.bars({ size: [0.7, 40], align: 0 });
    var opts = {
      width: width, height: 240, cursor: { drag: { x: false, y: false } }, legend: { show: true },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(4, Math.ceil(max * 1.15))]; } } },
      axes: [{ stroke: '#667085', grid: { stroke: '#eef0f3' } }, { stroke: '#667085', grid: { stroke: '#eef0f3' }, size: 50 }],
      series: [{}, { label: 'executions', stroke: '#2f6fed', width: 0, fill: 'rgba(47,111,237,0.45)', paths: bars, points: { show: false } },
        { label: 'failures', stroke: '#e5484d', width: 0, fill: 'rgba(229,72,77,0.85)', paths: bars, points: { show: false } }]
    };
    clear(el);
    state.chart = new uPlot(opts, [c.t, c.executions, c.failures], el);
  }

  // ----- Tasks -----
  function tasks() {
    return api('tasks').then(function (list) {
      var rows = list.map(function (t) {
        var status = !t.enabled ? badge('disabled') : t.paused ? badge('paused') : badge('active');
        if (t.paused && t.pause) {
          status = h('span', { title: 'paused by ' + t.pause.by + ' ' + ago(t.pause.at) + (t.pause.reason ? ': ' + t.pause.reason : '') }, status);
        }
        return h('tr', { dataset: { task: t.name, engine: t.engine } },
          h('td', null, h('a', { href: '#/jobs?task=' + encodeURIComponent(t.name), class: 'task-name', text: t.name }),
            h('div', { class: 'muted small', text: t.description || '' })),
          h('td', { class: 'small', text: t.pack || t.kind }),
          h('td', { class: 'engine-cell' }, engine(t.engine)),
          h('td', { class: 'mono nowrap', text: t.schedule || (t.startupPriority !== null ? 'start-up (' + t.startupPriority + ')' : 'manual') }),
          h('td', { class: 'status-cell' }, status),
          h('td', null, when(t.nextRun)),
          h('td', null, when(t.lastRun), h('div', null, t.lastOutcome ? badge(t.lastOutcome) : null)),
          h('td', null, h('span', { class: 'strip', title: 'newest on the right' }, t.recent.slice().reverse().map(function (d) {
            return h('a', { href: '#/job/' + d.id }, h('i', { class: d.state, title: d.state + ' · ' + stamp(d.finishedAt) }));
          })), t.lastError ? h('div', { class: 'error-text small task-error', text: t.lastError }) : null),
          h('td', null, h('div', { class: 'actions' },
            actionButton('tasks', 'run', 'Run now', 'tasks/' + encodeURIComponent(t.name) + '/run', 'primary'),
            t.paused ? actionButton('tasks', 'resume', 'Resume', 'tasks/' + encodeURIComponent(t.name) + '/resume')
              : actionButton('tasks', 'pause', 'Pause', 'tasks/' + encodeURIComponent(t.name) + '/pause', '', function () { return { reason: 'paused from the dashboard' }; }))));
      });
      swap(h('div', { class: 'table-wrap' }, h('table', { id: 'tasks' },
        h('thead', null, h('tr', null, ['task', 'pack', 'engine', 'schedule', 'status', 'next run', 'last run', 'recent runs', ''].map(function (c) { return h('th', { text: c }); }))),
        h('tbody', null, rows))));
    });
  }

  // ----- Jobs -----
  function jobs(r, full) {
    var p = r.params;
    if (full) {
      state.jobsCursor = [];
      var f = function (name, node) { return h('label', null, name, node); };
      var st = h('select', { name: 'state' }, ['', 'scheduled,running', 'succeeded', 'skipped', 'retrying', 'failed,dead', 'failed', 'dead', 'cancelled'].map(function (s) {
        return h('option', { value: s, text: s || 'any state' });
      }));
      var task = h('input', { name: 'task', placeholder: 'task name', size: 22 });
      var eng = h('select', { name: 'engine' }, ['', 'pg_cron', 'db-scheduler'].map(function (s) { return h('option', { value: s, text: s || 'both engines' }); }));
      var range = h('select', { name: 'range' }, [['', 'any time'], ['1h', 'last hour'], ['24h', 'last 24 h'], ['7d', 'last 7 d'], ['30d', 'last 30 d']].map(function (x) { return h('option', { value: x[0], text: x[1] }); }));
      var q = h('input', { name: 'q', placeholder: 'text in the error', size: 26 });
      st.value = p.get('state') || ''; task.value = p.get('task') || ''; eng.value = p.get('engine') || ''; range.value = p.get('range') || ''; q.value = p.get('q') || '';
      if (st.value !== (p.get('state') || '')) { st.appendChild(h('option', { value: p.get('state'), text: p.get('state') })); st.value = p.get('state'); }
      var form = h('form', { class: 'filters', on: { submit: function (ev) {
        ev.preventDefault();
        var np = new URLSearchParams();
        [['state', st.value], ['task', task.value.trim()], ['engine', eng.value], ['range', range.value], ['q', q.value.trim()]].forEach(function (kv) { if (kv[1]) np.set(kv[0], kv[1]); });
        location.hash = '#/jobs' + (np.toString() ? '?' + np.toString() : '');
      } } }, f('State', st), f('Task', task), f('Engine', eng), f('Finished', range), f('Error contains', q),
        h('button', { class: 'btn primary', type: 'submit', text: 'Apply' }),
        h('a', { class: 'btn ghost', href: '#/jobs', text: 'Reset' }));
      swap([form, h('div', { id: 'jobs-body' })]);
    }
    if (!full && state.jobsCursor.length) return Promise.resolve(); // paging: no live refresh past page 1
    return loadJobs(p, state.jobsCursor[state.jobsCursor.length - 1]);
  }

  function jobsQuery(p, cursor) {
    var qp = new URLSearchParams();
    ['state', 'task', 'engine', 'q'].forEach(function (k) { if (p.get(k)) qp.set(k, p.get(k)); });
    var rg = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 }[p.get('range')];
    if (rg) qp.set('from', new Date(Date.now() - rg).toISOString());
    if (cursor) qp.set('before', cursor);
    qp.set('limit', '50');
    return 'jobs?' + qp.toString();
  }

  function loadJobs(p, cursor) {
    var t0 = performance.now();
    return api(jobsQuery(p, cursor)).then(function (page) {
      var ms = Math.round(performance.now() - t0);
      var body = $('jobs-body');
      if (!body) return;
      var rows = page.live.concat(page.items).map(function (j) {
        var link = j.id ? h('a', { href: '#/job/' + j.id, text: j.task }) : h('span', { text: j.task });
        return h('tr', { dataset: { job: j.id, state: j.state } },
          h('td', { class: 'num mono small' }, j.id ? h('a', { href: '#/job/' + j.id, text: '#' + j.id }) : h('span', { class: 'muted', text: 'live' })),
          h('td', null, link, h('div', { class: 'muted small mono', text: j.executionId })),
          h('td', null, engine(j.engine)), h('td', null, badge(j.state)),
          h('td', { class: 'num', text: j.attempt }),
          h('td', { class: 'mono small', text: j.instance || '—' }),
          h('td', null, when(j.finishedAt || j.startedAt || j.scheduledAt)),
          h('td', { class: 'num nowrap', text: dur(j.durationMs) }),
          h('td', null, j.error ? h('div', { class: 'error-text job-error', text: (j.errorClass ? j.errorClass + ': ' : '') + j.error }) : null),
          h('td', null, j.id ? null : actionButton('jobs', 'cancel', 'Cancel', 'jobs/' + encodeURIComponent(j.task + ':' + j.executionId) + '/cancel', 'danger')));
      });
      var page1 = state.jobsCursor.length === 0;
      var pager = h('div', { class: 'pager' },
        h('span', { id: 'jobs-count', text: (page.totalCapped ? 'about ' + num(page.totalEstimate) : num(page.total)) + ' finished job' + (page.total === 1 ? '' : 's') + ' match · ' + ms + ' ms' }),
        h('span', { class: 'actions' },
          h('button', { class: 'btn', text: 'Newer', disabled: page1, on: { click: function () { state.jobsCursor.pop(); loadJobs(p, state.jobsCursor[state.jobsCursor.length - 1]); } } }),
          h('button', { class: 'btn', text: 'Older', disabled: !page.next, on: { click: function () { state.jobsCursor.push(page.next); loadJobs(p, page.next); } } })));
      clear(body);
      add(body, [h('div', { class: 'table-wrap' }, h('table', { id: 'jobs' },
        h('thead', null, h('tr', null, ['id', 'task', 'engine', 'state', 'attempt', 'instance', 'when', 'took', 'error', ''].map(function (c, i) {
          return h('th', { class: i === 0 || i === 4 || i === 7 ? 'num' : '', text: c });
        }))),
        h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: 10, class: 'empty', text: 'No job matches.' }))))), pager]);
    });
  }

  // ----- Job page -----
  function job(r) {
    return api('jobs/' + encodeURIComponent(r.arg)).then(function (d) {
      var j = d.job;
      var kv = h('dl', { class: 'kv' },
        h('dt', { text: 'task' }), h('dd', null, h('a', { href: '#/jobs?task=' + encodeURIComponent(j.task), text: j.task })),
        h('dt', { text: 'execution' }), h('dd', { class: 'mono', text: j.executionId }),
        h('dt', { text: 'engine' }), h('dd', null, engine(j.engine)),
        h('dt', { text: 'state' }), h('dd', null, badge(j.state)),
        h('dt', { text: 'attempt' }), h('dd', { text: j.attempt }),
        h('dt', { text: 'instance' }), h('dd', { class: 'mono', text: j.instance || '—' }),
        h('dt', { text: 'scheduled' }), h('dd', { text: stamp(j.scheduledAt) }),
        h('dt', { text: 'started' }), h('dd', { text: stamp(j.startedAt) }),
        h('dt', { text: 'finished' }), h('dd', { text: stamp(j.finishedAt) + ' (' + dur(j.durationMs) + ')' }),
        j.args && j.args !== '{}' ? [h('dt', { text: 'arguments' }), h('dd', { class: 'mono small', text: j.args })] : null,
        d.retryOf ? [h('dt', { text: 'retry of' }), h('dd', null, h('a', { href: '#/job/' + d.retryOf, text: '#' + d.retryOf }))] : null,
        d.retriedBy ? [h('dt', { text: 'retried by' }), h('dd', null, h('a', { href: '#/job/' + d.retriedBy, text: '#' + d.retriedBy }))] : null);
      var acts = h('div', { class: 'actions' },
        (j.state === 'failed' || j.state === 'dead') ? actionButton('jobs', 'retry', 'Retry', 'jobs/' + j.id + '/retry', 'primary') : null);
      var timeline = h('ol', { class: 'timeline' }, d.attempts.map(function (a) {
        return h('li', { class: a.state },
          h('div', null, h('b', { text: 'Attempt ' + a.attempt + ' ' }), badge(a.state), ' ',
            a.id === j.id ? h('span', { class: 'muted small', text: '(this job)' }) : h('a', { href: '#/job/' + a.id, text: '#' + a.id })),
          h('div', { class: 'small muted', text: 'scheduled ' + stamp(a.scheduledAt) }),
          h('div', { class: 'small muted', text: 'started ' + stamp(a.startedAt) + ' on ' + (a.instance || '—') }),
          h('div', { class: 'small muted', text: 'finished ' + stamp(a.finishedAt) + ' after ' + dur(a.durationMs) }),
          a.error ? h('div', { class: 'error-text small', text: a.error }) : null);
      }));
      swap([h('div', { class: 'row' },
        h('div', { class: 'card' }, h('div', { class: 'panel-head' }, h('h2', { text: 'Job #' + j.id }), acts), kv),
        h('div', { class: 'card' }, h('h2', { text: 'Attempts and timeline' }), timeline)),
        j.error ? h('div', { class: 'card' }, h('h2', { text: 'Error' }), h('div', { class: 'mono small muted', text: j.errorClass || '' }),
          h('div', { class: 'error-text error-full', id: 'job-error', text: j.error })) : null]);
    });
  }

  // ----- pg_cron -----
  function cron() {
    return api('cron').then(function (c) {
      if (!c.available) {
        swap(h('div', { class: 'card' }, h('h2', { text: 'pg_cron' }), h('div', { class: 'wrap', text: 'Not available: ' + c.reason })));
        return;
      }
      var jobsT = h('div', { class: 'table-wrap' }, h('table', { id: 'cron-jobs' },
        h('thead', null, h('tr', null, ['job', 'task', 'schedule (GMT)', 'command', 'runs as', 'active'].map(function (x) { return h('th', { text: x }); }))),
        h('tbody', null, c.jobs.map(function (j) {
          return h('tr', { dataset: { task: j.task || '', active: String(j.active) } },
            h('td', { class: 'mono small' }, h('div', { text: '#' + j.jobId }), h('div', { class: 'muted', text: j.name })),
            h('td', { class: 'nowrap' }, j.task ? h('a', { href: '#/jobs?task=' + encodeURIComponent(j.task), text: j.task }) : h('span', { class: 'muted', text: 'not Autopilot' })),
            h('td', { class: 'mono nowrap', text: j.schedule }),
            h('td', null, h('div', { class: 'mono small wrap cmd', title: j.command, text: j.command })),
            h('td', { class: 'mono small', text: j.username }),
            h('td', { class: 'active-cell' }, badge(j.active ? 'active' : 'paused', j.active ? 'active' : 'inactive')));
        }))));
      var runsT = h('div', { class: 'table-wrap' }, h('table', { id: 'cron-runs' },
        h('thead', null, h('tr', null, ['run', 'task', 'status', 'started', 'took', 'message'].map(function (x) { return h('th', { text: x }); }))),
        h('tbody', null, c.runs.length ? c.runs.map(function (x) {
          var ms = x.startedAt && x.finishedAt ? Date.parse(x.finishedAt) - Date.parse(x.startedAt) : null;
          return h('tr', null, h('td', { class: 'mono small', text: '#' + x.runId }), h('td', { text: x.task || ('job ' + x.jobId) }),
            h('td', null, badge(x.status)), h('td', null, when(x.startedAt)), h('td', { class: 'num', text: dur(ms) }),
            h('td', { class: x.status === 'failed' ? 'error-text' : 'mono small muted', text: x.returnMessage || '' }));
        }) : h('tr', null, h('td', { colspan: 6, class: 'empty', text: 'No run recorded yet.' })))));
      swap([h('div', { class: 'muted', text: 'cron.job and cron.job_run_details of this database, read in database ' + c.cronDatabase + '.' }),
        h('h2', { class: 'section-title', text: 'Jobs' }), jobsT, h('h2', { class: 'section-title', text: 'Newest runs' }), runsT]);
    });
  }

  // ----- Bootstrap -----
  function bootstrap() {
    return api('bootstrap').then(function (b) {
      if (!b.waveId) { swap(h('div', { class: 'card empty', text: 'No start-up wave was ever opened (no start-up tasks, or the bootstrap is disabled).' })); return; }
      var done = b.steps.filter(function (s) { return ['succeeded', 'skipped', 'failed'].indexOf(s.state) >= 0; }).length;
      swap([h('div', { class: 'grid' },
        h('div', { class: 'card' }, h('h2', { text: 'Wave' }), h('div', { class: 'big', text: '#' + b.waveId }), h('div', { class: 'sub', text: 'opened by ' + b.openedBy })),
        h('div', { class: 'card' }, h('h2', { text: 'Progress' }), h('div', { class: 'big', text: done + ' / ' + b.steps.length }), h('div', { class: 'sub', text: b.finishedAt ? 'finished ' + ago(b.finishedAt) : 'in progress' })),
        h('div', { class: 'card' }, h('h2', { text: 'Opened' }), h('div', { class: 'big' }, when(b.openedAt)), h('div', { class: 'sub', text: 'instances: ' + b.instances.join(', ') }))),
        h('ol', { class: 'steps', id: 'steps' }, b.steps.map(function (s) {
          return h('li', { dataset: { task: s.task, state: s.state } },
            h('div', null, h('b', { text: s.task }), h('span', { class: 'muted small', text: '  priority ' + s.priority + ' · ' + s.attempts + ' attempt' + (s.attempts === 1 ? '' : 's') }),
              s.startedAt ? h('div', { class: 'small muted', text: 'started ' + stamp(s.startedAt) + (s.finishedAt ? ' · finished ' + stamp(s.finishedAt) : '') }) : null,
              s.message ? h('div', { class: (s.state === 'failed' || s.blocked) ? 'error-text small' : 'small muted wrap', text: s.message }) : null),
            badge(s.state, s.blocked ? 'skipped (blocked)' : s.state));
        }))]);
    });
  }

  // ----- Backups -----
  function backups() {
    return api('backups').then(function (b) {
      if (!b.available) { swap(h('div', { class: 'card empty', text: 'The backup pack is not installed in this database.' })); return; }
      swap(h('div', { class: 'table-wrap' }, h('table', { id: 'backups' },
        h('thead', null, h('tr', null, ['id', 'kind', 'status', 'started', 'took', 'size', 'sha-256', 'archived', 'file / error'].map(function (x) { return h('th', { text: x }); }))),
        h('tbody', null, b.backups.length ? b.backups.map(function (x) {
          return h('tr', null, h('td', { class: 'num mono small', text: '#' + x.id }), h('td', { text: x.kind }),
            h('td', null, badge(x.status)), h('td', null, when(x.startedAt)), h('td', { class: 'num', text: dur(x.durationMs) }),
            h('td', { class: 'num', text: bytes(x.sizeBytes) }), h('td', { class: 'mono small', title: x.sha256 || '', text: x.sha256 ? x.sha256.slice(0, 12) + '…' : '—' }),
            h('td', null, x.archived ? badge('ok', x.inArchiveTable ? 'archived (moved)' : 'pinned') : h('span', { class: 'muted', text: 'no' })),
            h('td', { class: x.error ? 'error-text' : 'mono small muted wrap', text: x.error || x.file || '' }));
        }) : h('tr', null, h('td', { colspan: 9, class: 'empty', text: 'No backup yet.' }))))));
    });
  }

  // ----- Search -----
  function search(r, full) {
    if (!full) return Promise.resolve();
    var q = h('input', { name: 'q', placeholder: 'for example: parse the cron expression', size: 50 });
    q.value = r.params.get('q') || '';
    var out = h('div', { id: 'hits' });
    var form = h('form', { class: 'filters', on: { submit: function (ev) {
      ev.preventDefault(); location.hash = '#/search?q=' + encodeURIComponent(q.value.trim());
    } } }, h('label', null, 'Query', q), h('button', { class: 'btn primary', type: 'submit', text: 'Search' }));
    swap([form, out]);
    if (!q.value) { add(out, h('div', { class: 'empty', text: 'Search the ingested code, knowledge and templates.' })); return Promise.resolve(); }
    return api('search?k=10&q=' + encodeURIComponent(q.value)).then(function (res) {
      add(out, res.hits.length ? res.hits.map(function (x) {
        return h('div', { class: 'card hit' }, h('div', { class: 'panel-head' },
          h('div', null, h('b', { class: 'mono', text: x.path + ':' + x.startLine + '-' + x.endLine }), ' ', h('span', { class: 'muted small', text: x.codebase + (x.symbol ? ' · ' + x.symbol : '') })),
          h('span', { class: 'badge', text: 'score ' + x.score.toFixed(3) })), h('pre', { text: x.content }));
      }) : h('div', { class: 'empty', text: 'No hit.' }));
    });
  }

  // ---------- start ----------
  function start() {
    return api('session').then(function (s) {
      state.session = s;
      var who = $('who'); clear(who);
      add(who, [h('div', null, 'Signed in as ', h('b', { text: s.user })), h('div', { text: s.role + (s.readOnly ? ' · read-only mode' : '') })]);
      $('signout').hidden = !s.signInRequired;
      $('nav-search').hidden = !s.features.search;
      render(true);
      startTimer();
    });
  }
  $('signout').addEventListener('click', function () {
    api('logout', { method: 'POST' }).then(function () { state.session = null; showLogin(); });
  });
  window.addEventListener('hashchange', function () { render(false); });
  window.addEventListener('resize', function () { if (state.chart) { var el = $('chart'); if (el) state.chart.setSize({ width: el.clientWidth, height: 240 }); } });
  start().catch(function (e) { if (e.message !== 'sign in required') flash(e.message, true); });
})();
