// Knobflow's interactive report: draws every chart from the study data in #knobflow-data with the
// Plotly bundle embedded (gzip, base64) in #knobflow-plotly. No network. Each chart's <div> gets
// data-rendered="true" when Plotly has drawn it; errors are shown in #report-errors, and <body>
// gets data-report-done="true" when every chart has been tried.
(function () {
  'use strict';

  const errors = document.getElementById('report-errors');
  function fail(message) {
    errors.hidden = false;
    errors.textContent += message + '\n';
  }
  window.addEventListener('error', (e) => fail('script error: ' + e.message));
  window.addEventListener('unhandledrejection', (e) => fail('script error: ' + e.reason));

  const data = JSON.parse(document.getElementById('knobflow-data').textContent);
  const objectives = data.objectives;
  const trials = data.trials;
  const completed = trials.filter((t) => t.state === 'COMPLETE' && t.values.length === objectives.length);
  const multiFidelity = data.topBudget !== null;
  const COLORS = {
    front: '#d62728', dominated: '#8c8c8c', infeasible: '#1f77b4', lower: '#c7c7c7',
    COMPLETE: '#1f77b4', PRUNED: '#ff7f0e', FAIL: '#d62728', RUNNING: '#2ca02c', WAITING: '#9467bd',
  };

  // --- formatting --------------------------------------------------------------------------------

  /** Up to 4 significant digits, never ".05". */
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
  }

  function objectiveLabel(o) {
    return o.name + ' (' + o.direction + ')';
  }

  /** Hover text: number, state, budget, values and parameters. */
  function hover(t) {
    const head = 'trial ' + t.number + ' · ' + t.state + (t.budget !== null ? ' · budget ' + fmt(t.budget) : '');
    const values = t.values.map((v, j) => objectives[j].name + ' = ' + fmt(v)).join('<br>');
    const params = Object.entries(t.params).map(([k, v]) => k + ' = ' + fmt(v)).join('<br>');
    return [head, values, params].filter((s) => s).join('<br>');
  }

  function paramSpec(name) {
    return data.params.find((p) => p.name === name);
  }

  function axisFor(spec) {
    if (!spec) return {};
    if (spec.kind === 'categorical') return { type: 'category', categoryarray: spec.choices };
    return spec.log ? { type: 'log', exponentformat: 'power' } : {};
  }

  // --- charts ------------------------------------------------------------------------------------

  const container = document.getElementById('charts');
  const drawing = [];

  /** Adds a titled chart box and draws it; a failing chart reports and leaves the others. */
  function chart(id, title, note, draw) {
    const figure = document.createElement('figure');
    figure.className = 'chart-box';
    const div = document.createElement('div');
    div.className = 'chart';
    div.dataset.chart = id;
    figure.appendChild(div);
    if (note) {
      const caption = document.createElement('figcaption');
      caption.textContent = note;
      figure.appendChild(caption);
    }
    container.appendChild(figure);
    try {
      const [traces, layout] = draw();
      const base = {
        title: { text: title, font: { size: 15 }, x: 0.01, xanchor: 'left' },
        margin: { l: 70, r: 20, t: 50, b: 60 },
        hovermode: 'closest',
        legend: { orientation: 'h', y: -0.22 },
        font: { size: 12 },
      };
      drawing.push(
        Plotly.newPlot(div, traces, Object.assign(base, layout), { responsive: true, displaylogo: false })
          .then(() => { div.dataset.rendered = 'true'; })
          .catch((e) => fail(id + ': ' + e)));
    } catch (e) {
      fail(id + ': ' + e);
    }
  }

  function scatter(name, list, x, y, color, symbol) {
    return {
      type: 'scatter', mode: 'markers', name: name, x: list.map(x), y: list.map(y),
      text: list.map(hover), hoverinfo: 'text', marker: { color: color, symbol: symbol, size: 8 },
    };
  }

  /** Completed trials split into the legend groups of a Pareto view. */
  function paretoGroups() {
    const groups = [
      ['Pareto-optimal', completed.filter((t) => t.front), COLORS.front, 'diamond'],
      ['dominated', completed.filter((t) => !t.front && t.feasible && t.atTopBudget), COLORS.dominated, 'circle'],
      ['infeasible', completed.filter((t) => !t.front && !t.feasible && t.atTopBudget), COLORS.infeasible, 'x'],
    ];
    if (multiFidelity) {
      groups.push(['below budget ' + fmt(data.topBudget) + ' (not compared)',
        completed.filter((t) => !t.atTopBudget), COLORS.lower, 'circle-open']);
    }
    return groups.filter((g) => g[1].length > 0);
  }

  function history() {
    objectives.forEach((o, j) => {
      chart('history-' + j, 'Optimisation history: ' + o.name, null, () => {
        let best = null;
        const bx = [];
        const by = [];
        completed.forEach((t) => {
          const v = t.values[j];
          if (t.feasible && t.atTopBudget && v !== null &&
              (best === null || (o.direction === 'maximize' ? v > best : v < best))) {
            best = v;
          }
          if (best !== null) { bx.push(t.number); by.push(best); }
        });
        return [[
          scatter(o.name, completed, (t) => t.number, (t) => t.values[j], COLORS.COMPLETE, 'circle'),
          { type: 'scatter', mode: 'lines', name: 'best so far' + (multiFidelity ? ' (top budget)' : ''),
            x: bx, y: by, line: { shape: 'hv', color: COLORS.front } },
        ], { xaxis: { title: 'trial' }, yaxis: { title: objectiveLabel(o) } }];
      });
    });
    if (data.hypervolume) {
      const ref = objectives.map((o, j) => o.name + ' = ' + fmt(data.referencePoint[j])).join(', ');
      chart('hypervolume', 'Hypervolume history', 'Reference point: ' + ref +
        ' (the worst feasible value per objective plus 10% of its range)' +
        (multiFidelity ? '; trials at budget ' + fmt(data.topBudget) + ' only.' : '.'), () => [[{
        type: 'scatter', mode: 'lines', name: 'hypervolume', x: data.hypervolume.trials,
        y: data.hypervolume.values, line: { shape: 'hv', color: COLORS.front },
      }], { xaxis: { title: 'trial' }, yaxis: { title: 'hypervolume' }, showlegend: false }]);
    }
  }

  function pareto() {
    const m = objectives.length;
    if (m < 2 || completed.length === 0) return;
    const budgetNote = multiFidelity
      ? 'The front is taken at the highest budget reached (' + fmt(data.topBudget) + '). ' : '';
    if (m === 3) {
      chart('pareto-3d', 'Pareto front (3-D)', budgetNote + 'Drag to rotate; hover for a trial.', () => [
        paretoGroups().map(([name, list, color, symbol]) => ({
          type: 'scatter3d', mode: 'markers', name: name,
          x: list.map((t) => t.values[0]), y: list.map((t) => t.values[1]), z: list.map((t) => t.values[2]),
          text: list.map(hover), hoverinfo: 'text',
          marker: { color: color, size: 4, symbol: symbol === 'x' ? 'x' : symbol === 'diamond' ? 'diamond' : 'circle' },
        })),
        { scene: { xaxis: { title: objectives[0].name }, yaxis: { title: objectives[1].name },
          zaxis: { title: objectives[2].name } }, margin: { l: 0, r: 0, t: 50, b: 0 } }]);
    }
    let pairs = 0;
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m && pairs < 6; b++, pairs++) {
        const projection = m > 2;
        const title = projection
          ? 'Projection of the ' + m + '-D front: ' + objectives[a].name + ' vs ' + objectives[b].name
          : 'Pareto front';
        const note = projection
          ? 'A 2-D projection: colours mark Pareto membership over all ' + m +
            ' objectives, so a red point can lie behind a grey one here. ' + budgetNote
          : budgetNote;
        chart('pareto-' + a + '-' + b, title, note || null, () => [
          paretoGroups().map(([name, list, color, symbol]) =>
            scatter(projection ? name + ' (in ' + m + '-D)' : name, list,
              (t) => t.values[a], (t) => t.values[b], color, symbol)),
          { xaxis: { title: objectiveLabel(objectives[a]) }, yaxis: { title: objectiveLabel(objectives[b]) } }]);
      }
    }
  }

  /** Ticks at real values for a log axis drawn in log10 space. */
  function logTicks(low, high) {
    const values = [];
    for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
      const v = Math.pow(10, e);
      if (v >= low && v <= high) values.push(v);
    }
    if (values.length < 2) {
      values.unshift(low);
      values.push(high);
    }
    return { tickvals: values.map(Math.log10), ticktext: values.map(fmt) };
  }

  function parallel() {
    const names = data.params.map((p) => p.name)
      .filter((n) => completed.every((t) => t.params[n] !== undefined && t.params[n] !== null));
    if (completed.length < 2) return;
    chart('parallel', 'Parallel coordinates', 'Real parameter values; log-scaled axes are ticked at ' +
      'powers of 10; drag along an axis to filter.', () => {
      const dims = names.map((n) => {
        const spec = paramSpec(n);
        const raw = completed.map((t) => t.params[n]);
        if (spec.kind === 'categorical') {
          return { label: n, values: raw.map((v) => spec.choices.indexOf(String(v))),
            range: [0, Math.max(1, spec.choices.length - 1)],
            tickvals: spec.choices.map((c, i) => i), ticktext: spec.choices };
        }
        if (spec.log) {
          return Object.assign({ label: n + ' (log)', values: raw.map(Math.log10),
            range: [Math.log10(spec.low), Math.log10(spec.high)] }, logTicks(spec.low, spec.high));
        }
        return { label: n, values: raw, range: [spec.low, spec.high] };
      });
      objectives.forEach((o, j) => dims.push({ label: o.name, values: completed.map((t) => t.values[j]) }));
      const first = objectives[0];
      return [[{
        type: 'parcoords', dimensions: dims,
        line: { color: completed.map((t) => t.values[0]), colorscale: 'Viridis',
          reversescale: first.direction === 'minimize', showscale: true,
          colorbar: { title: { text: first.name } } },
        labelangle: -20, labelside: 'bottom',
      }], { margin: { l: 60, r: 60, t: 70, b: 60 } }];
    });
  }

  function importance() {
    if (data.importance.length === 0) return;
    chart('importance', 'Parameter importance (PED-ANOVA)', 'How much each parameter separates the ' +
      'best 10% of trials from all of them.', () => {
      const params = Object.keys(data.importance[0].byParam).reverse();
      return [data.importance.map((i) => ({
        type: 'bar', orientation: 'h', name: i.objective, y: params, x: params.map((p) => i.byParam[p]),
      })), { xaxis: { title: 'importance' }, showlegend: data.importance.length > 1,
        margin: { l: 140, r: 20, t: 50, b: 60 } }];
    });
  }

  function slices() {
    if (completed.length < 2) return;
    const o = objectives[0];
    data.importantParams.forEach((name) => {
      const spec = paramSpec(name);
      const list = completed.filter((t) => t.params[name] !== undefined);
      chart('slice-' + name, 'Slice: ' + o.name + ' by ' + name, null, () => [[{
        type: 'scatter', mode: 'markers', name: name, x: list.map((t) => t.params[name]),
        y: list.map((t) => t.values[0]), text: list.map(hover), hoverinfo: 'text',
        marker: { color: list.map((t) => t.number), colorscale: 'Blues', showscale: true, size: 8,
          colorbar: { title: { text: 'trial' } } },
      }], { xaxis: Object.assign({ title: name }, axisFor(spec)), yaxis: { title: objectiveLabel(o) },
        showlegend: false }]);
    });
  }

  /** A 30-cell grid axis for a parameter: category indices, or log or linear cells. */
  function gridAxis(spec) {
    if (spec.kind === 'categorical') {
      return { centers: spec.choices, cell: (v) => spec.choices.indexOf(String(v)) };
    }
    const n = 30;
    const lo = spec.log ? Math.log10(spec.low) : spec.low;
    const hi = spec.log ? Math.log10(spec.high) : spec.high;
    const width = (hi - lo) / n || 1;
    const centers = [];
    for (let i = 0; i < n; i++) {
      const c = lo + (i + 0.5) * width;
      centers.push(spec.log ? Math.pow(10, c) : c);
    }
    return { centers: centers, cell: (v) => Math.min(n - 1, Math.max(0, Math.floor(((spec.log ? Math.log10(v) : v) - lo) / width))) };
  }

  function contour() {
    if (completed.length < 3 || data.importantParams.length < 2) return;
    const [px, py] = data.importantParams;
    const sx = paramSpec(px);
    const sy = paramSpec(py);
    const o = objectives[0];
    const list = completed.filter((t) => t.params[px] !== undefined && t.params[py] !== undefined);
    chart('contour', 'Contour: ' + o.name + ' over ' + px + ' and ' + py, 'The mean ' + o.name +
      ' of the trials in each cell, interpolated between cells; dots are trials.', () => {
      const gx = gridAxis(sx);
      const gy = gridAxis(sy);
      const sum = gy.centers.map(() => gx.centers.map(() => 0));
      const count = gy.centers.map(() => gx.centers.map(() => 0));
      list.forEach((t) => {
        const i = gy.cell(t.params[py]);
        const k = gx.cell(t.params[px]);
        sum[i][k] += t.values[0];
        count[i][k] += 1;
      });
      const z = sum.map((row, i) => row.map((s, k) => (count[i][k] ? s / count[i][k] : null)));
      return [[
        { type: 'contour', x: gx.centers, y: gy.centers, z: z, connectgaps: true, colorscale: 'Viridis',
          reversescale: o.direction === 'minimize', hoverinfo: 'skip',
          colorbar: { title: { text: o.name } } },
        { type: 'scatter', mode: 'markers', x: list.map((t) => t.params[px]), y: list.map((t) => t.params[py]),
          text: list.map(hover), hoverinfo: 'text', marker: { color: 'white', size: 6,
            line: { color: 'black', width: 1 } }, showlegend: false },
      ], { xaxis: Object.assign({ title: px }, axisFor(sx)), yaxis: Object.assign({ title: py }, axisFor(sy)) }];
    });
  }

  function intermediate() {
    const reporting = trials.filter((t) => t.intermediate.length > 0).slice(-300);
    if (reporting.length === 0) return;
    const o = objectives[0];
    chart('intermediate', 'Intermediate values: ' + o.name, 'One line per trial (the last 300); ' +
      'an x marks where a pruned or failed trial stopped.', () => {
      const shown = {};
      const traces = [];
      reporting.forEach((t) => {
        const kind = t.state === 'PRUNED' ? 'pruned' : t.state === 'FAIL' ? 'failed' : 'completed';
        const color = t.state === 'PRUNED' ? COLORS.PRUNED : t.state === 'FAIL' ? COLORS.FAIL : COLORS.COMPLETE;
        traces.push({ type: 'scatter', mode: 'lines', name: kind, legendgroup: kind, showlegend: !shown[kind],
          x: t.intermediate.map((p) => p[0]), y: t.intermediate.map((p) => p[1]),
          line: { color: color, width: 1 }, opacity: 0.7, text: hover(t), hoverinfo: 'text' });
        shown[kind] = true;
        if (t.state === 'PRUNED' || t.state === 'FAIL') {
          const last = t.intermediate[t.intermediate.length - 1];
          traces.push({ type: 'scatter', mode: 'markers', legendgroup: kind, showlegend: false,
            x: [last[0]], y: [last[1]], marker: { symbol: 'x', size: 9, color: color },
            text: hover(t) + '<br>' + kind + ' at step ' + last[0] + (t.reason ? ': ' + t.reason : ''),
            hoverinfo: 'text' });
        }
      });
      return [traces, { xaxis: { title: 'step' }, yaxis: { title: objectiveLabel(o) } }];
    });
  }

  /**
   * Population-based training: per member, the value of each hyperparameter it ran with and the
   * objective it reached, at the budget each segment ended; dashed lines mark exploits (a member
   * continuing from a better member's checkpoint with its hyperparameters, then perturbed).
   */
  function population() {
    const segments = trials.filter((t) => t.pbt !== undefined);
    if (segments.length === 0) return;
    const byNumber = new Map(trials.map((t) => [t.number, t]));
    const members = [...new Set(segments.map((t) => t.pbt.member))].sort((a, b) => a - b);
    const budgeted = segments.every((t) => t.budget !== null);
    const x = (t) => (budgeted ? t.budget : t.pbt.generation);
    const xTitle = budgeted ? 'budget (steps)' : 'generation';
    const views = [{ id: 'pbt-score', title: 'Population: ' + objectives[0].name,
      y: (t) => (t.values.length > 0 ? t.values[0] : null), axis: { title: objectiveLabel(objectives[0]) } }];
    data.params.filter((p) => p.kind !== 'categorical').slice(0, 3).forEach((p) => views.push({
      id: 'pbt-' + p.name, title: 'Population schedule: ' + p.name, y: (t) => t.params[p.name],
      axis: Object.assign({ title: p.name }, axisFor(p)) }));
    views.forEach((view) => {
      chart(view.id, view.title, 'One line per population member, a point per segment at the ' + xTitle +
        ' it reached; dashed: an exploit, from the copied segment to the copy (hover for which).', () => {
        const traces = members.map((m) => {
          const list = segments.filter((t) => t.pbt.member === m).sort((a, b) => x(a) - x(b));
          return { type: 'scatter', mode: 'lines+markers', name: 'member ' + m, x: list.map(x),
            y: list.map(view.y), text: list.map(hover), hoverinfo: 'text', marker: { size: 5 } };
        });
        const jumps = { type: 'scatter', mode: 'lines', name: 'exploit', x: [], y: [], text: [], hoverinfo: 'text',
          line: { dash: 'dash', color: COLORS.dominated, width: 1 } };
        segments.filter((t) => t.pbt.exploit !== undefined).forEach((t) => {
          const from = byNumber.get(t.pbt.exploit.fromTrial);
          if (!from || view.y(from) === null || view.y(from) === undefined) return;
          const label = 'member ' + t.pbt.member + ' copied member ' + t.pbt.exploit.fromMember +
            ' (trial ' + from.number + ') in generation ' + t.pbt.generation;
          jumps.x.push(x(from), x(t), null);
          jumps.y.push(view.y(from), view.y(t), null);
          jumps.text.push(label, label, '');
        });
        if (jumps.x.length > 0) traces.push(jumps);
        return [traces, { xaxis: { title: xTitle }, yaxis: view.axis }];
      });
    });
  }

  function timeline() {
    const timed = trials.filter((t) => t.start !== null && t.lane !== undefined);
    if (timed.length === 0) return;
    chart('timeline', 'Timeline', 'One row per worker slot: trials that ran at the same time are on ' +
      'different rows.', () => {
      const states = [...new Set(timed.map((t) => t.state))];
      return [states.map((s) => {
        const list = timed.filter((t) => t.state === s);
        return { type: 'bar', orientation: 'h', name: s, y: list.map((t) => 'slot ' + (t.lane + 1)),
          base: list.map((t) => new Date(t.start).toISOString()),
          x: list.map((t) => Math.max(1, (t.end !== null ? t.end : t.start) - t.start)),
          text: list.map(hover), hoverinfo: 'text', textposition: 'none', marker: { color: COLORS[s] } };
      }), { barmode: 'overlay', xaxis: { type: 'date', title: 'time' }, yaxis: { autorange: 'reversed' } }];
    });
  }

  function edf() {
    if (completed.length === 0) return;
    objectives.forEach((o, j) => {
      chart('edf-' + j, 'Empirical distribution: ' + o.name, 'The fraction of completed trials with ' +
        'a value up to x.', () => {
        const values = completed.map((t) => t.values[j]).filter((v) => v !== null).sort((a, b) => a - b);
        return [[{ type: 'scatter', mode: 'lines', name: o.name, x: values,
          y: values.map((v, i) => (i + 1) / values.length), line: { shape: 'hv', color: COLORS.COMPLETE } }],
        { xaxis: { title: objectiveLabel(o) }, yaxis: { title: 'fraction of trials', range: [0, 1.02] },
          showlegend: false }];
      });
    });
  }

  function energy() {
    const metered = trials.filter((t) => t.energyWh !== undefined);
    if (metered.length === 0) return;
    chart('energy', 'Energy per trial', 'Bars: each trial\'s energy; line: the study\'s total so far.', () => {
      let total = 0;
      const cumulative = metered.map((t) => (total += t.energyWh));
      return [[
        { type: 'bar', name: 'energy (Wh)', x: metered.map((t) => t.number), y: metered.map((t) => t.energyWh),
          text: metered.map(hover), hoverinfo: 'text', marker: { color: metered.map((t) => COLORS[t.state]) } },
        { type: 'scatter', mode: 'lines', name: 'total (Wh)', x: metered.map((t) => t.number), y: cumulative,
          yaxis: 'y2', line: { color: COLORS.front } },
      ], { xaxis: { title: 'trial' }, yaxis: { title: 'energy (Wh)' },
        yaxis2: { title: 'total (Wh)', overlaying: 'y', side: 'right' }, margin: { l: 70, r: 70, t: 50, b: 60 } }];
    });
    const accuracy = objectives.findIndex((o) => o.direction === 'maximize' && !/energy|co2/.test(o.name));
    const done = completed.filter((t) => t.energyWh !== undefined);
    if (accuracy >= 0 && done.length > 0) {
      const o = objectives[accuracy];
      chart('energy-vs', 'Energy vs ' + o.name, null, () => [[
        scatter('trials', done, (t) => t.energyWh, (t) => t.values[accuracy], COLORS.COMPLETE, 'circle'),
      ], { xaxis: { title: 'energy (Wh)' }, yaxis: { title: objectiveLabel(o) }, showlegend: false }]);
    }
  }

  /** Click a header to sort the trials table by that column; again to reverse. */
  function sortableTable() {
    const table = document.getElementById('trials');
    if (!table) return;
    table.querySelectorAll('th').forEach((th, column) => {
      th.addEventListener('click', () => {
        const body = table.tBodies[0];
        const ascending = th.dataset.sorted !== 'asc';
        table.querySelectorAll('th').forEach((h) => delete h.dataset.sorted);
        th.dataset.sorted = ascending ? 'asc' : 'desc';
        const key = (row) => {
          const text = row.cells[column].dataset.value ?? row.cells[column].textContent;
          const n = Number(text);
          return text !== '' && !Number.isNaN(n) ? n : text;
        };
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a);
          const y = key(b);
          const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return ascending ? order : -order;
        });
        rows.forEach((r) => body.appendChild(r));
      });
    });
  }

  async function loadPlotly() {
    const base64 = document.getElementById('knobflow-plotly').textContent.trim();
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    const source = await new Response(stream).text();
    (0, eval)(source); // the bundle defines window.Plotly
  }

  sortableTable();
  loadPlotly()
    .then(() => {
      [history, pareto, parallel, importance, slices, contour, intermediate, population, timeline, edf,
        energy]
        .forEach((section) => {
          try {
            section();
          } catch (e) {
            fail(section.name + ': ' + e);
          }
        });
      return Promise.allSettled(drawing);
    })
    .catch((e) => fail('could not load the charting library: ' + e))
    .finally(() => {
      document.body.dataset.chartsDrawn = String(document.querySelectorAll('.chart[data-rendered]').length);
      document.body.dataset.reportDone = 'true';
    });
})();
