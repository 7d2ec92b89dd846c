/*
 * html.js - the script of pgreplay's HTML report (src/report/html.c):
 * one uPlot chart per timeline series with one line per run, the trace's
 * mark events and every OOM kill drawn as vertical lines on the time
 * axis.  The data is the timeline JSON document (docs/report.md) in
 * #pgreplay-data.
 *
 * The outcome is written into #pgreplay-status for the browser test:
 * data-state="ok" and data-charts once every chart has drawn (each chart
 * also gets data-painted, the number of painted pixels of its canvas,
 * and data-line-pixels, the coloured ones: the runs' lines),
 * or data-state="error" with the message of any script error.
 */
(function () {
	"use strict";
	var status = document.getElementById("pgreplay-status");
	var palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
		"#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

	function fail(msg) {
		status.setAttribute("data-state", "error");
		status.textContent = "script error: " + msg;
	}
	window.onerror = function (msg, src, line) {
		fail(msg + " (line " + line + ")");
	};

	function color(i) {
		return palette[i % palette.length];
	}

	/* The x values of every run, merged: after equalizing the runs'
	 * intervals they differ only by their last, partial rows. */
	function xvalues(runs) {
		var seen = {}, xs = [], i, j, t;
		for (i = 0; i < runs.length; i++)
			for (j = 0; j < runs[i].end_s.length; j++) {
				t = runs[i].end_s[j];
				if (!seen[t]) {
					seen[t] = true;
					xs.push(t);
				}
			}
		xs.sort(function (a, b) { return a - b; });
		return xs;
	}

	function column(run, name, xs) {
		var at = {}, out = [], j;
		for (j = 0; j < run.end_s.length; j++)
			at[run.end_s[j]] = run[name][j];
		for (j = 0; j < xs.length; j++)
			out.push(at.hasOwnProperty(xs[j]) ? at[xs[j]] : null);
		return out;
	}

	/* Marks of the trace (the same in every run) and each run's kills. */
	function events(runs) {
		var seen = {}, ev = [], i, j, m, k;
		for (i = 0; i < runs.length; i++) {
			for (j = 0; j < runs[i].marks.length; j++) {
				m = runs[i].marks[j];
				k = m.time_s + "\u0000" + m.label;
				if (!seen[k]) {
					seen[k] = true;
					ev.push({ t: m.time_s, label: m.label,
						color: "#555", dash: [4, 4] });
				}
			}
			for (j = 0; j < runs[i].oom_kills.length; j++) {
				m = runs[i].oom_kills[j];
				ev.push({ t: m.time_s, color: color(i), dash: [],
					label: "OOM " + m.name + " (" + runs[i].name + ")" });
			}
		}
		return ev;
	}

	function drawEvents(u, ev) {
		var ctx = u.ctx, i, x, top = u.bbox.top, h = u.bbox.height;
		ctx.save();
		ctx.lineWidth = 1.5 * devicePixelRatio;
		ctx.font = (10 * devicePixelRatio) + "px sans-serif";
		/* uPlot leaves its axis labels' alignment behind. */
		ctx.textAlign = "left";
		ctx.textBaseline = "alphabetic";
		for (i = 0; i < ev.length; i++) {
			x = Math.round(u.valToPos(ev[i].t, "x", true));
			if (x < u.bbox.left || x > u.bbox.left + u.bbox.width)
				continue;
			ctx.strokeStyle = ev[i].color;
			ctx.fillStyle = ev[i].color;
			ctx.setLineDash(ev[i].dash);
			ctx.beginPath();
			ctx.moveTo(x, top);
			ctx.lineTo(x, top + h);
			ctx.stroke();
			ctx.fillText(ev[i].label, x + 3 * devicePixelRatio,
				top + (12 + 11 * (i % 4)) * devicePixelRatio);
		}
		ctx.restore();
	}

	/* Painted pixels of a canvas, and the coloured ones among them:
	 * axes, grid and labels are grey, only the runs' lines (and kills)
	 * have colour, so a chart whose lines are missing has none. */
	function painted(canvas) {
		var d = canvas.getContext("2d").getImageData(0, 0,
			canvas.width, canvas.height).data, n = 0, lines = 0, i;
		for (i = 0; i < d.length; i += 4) {
			if (d[i + 3] === 0)
				continue;
			n++;
			if (Math.max(d[i], d[i + 1], d[i + 2]) -
			    Math.min(d[i], d[i + 1], d[i + 2]) > 60)
				lines++;
		}
		return [n, lines];
	}

	function main() {
		var doc = JSON.parse(
			document.getElementById("pgreplay-data").textContent);
		var box = document.getElementById("charts");
		var runs = doc.runs, xs = xvalues(runs), ev = events(runs);
		var width = Math.max(600, Math.min(1100, box.clientWidth || 900));
		var pending = 0, made = 0;

		if (xs.length === 0) {
			status.setAttribute("data-state", "ok");
			status.setAttribute("data-charts", "0");
			status.textContent = "no timeline rows";
			return;
		}
		doc.series.forEach(function (s) {
			var div = document.createElement("div"), data = [xs];
			var series = [{ label: "time (s)" }], drawn = false;
			var h = document.createElement("h3");
			div.className = "chart";
			div.setAttribute("data-series", s.name);
			h.textContent = s.name + " (" + s.unit + (s.kind === "count" ?
				" per interval" : "") + "): " + s.description;
			div.appendChild(h);
			box.appendChild(div);
			runs.forEach(function (run, i) {
				data.push(column(run, s.name, xs));
				series.push({ label: run.name, stroke: color(i),
					width: 1.5, spanGaps: true });
			});
			pending++;
			new uPlot({
				width: width, height: 220,
				/* Padded, so that a line at its extreme (a
				 * count that is mostly 0) is not on the frame. */
				scales: { x: { time: false }, y: { range:
					function (u, min, max) {
						if (min === max) {
							min -= 1;
							max += 1;
						}
						var pad = (max - min) * 0.06;
						return [min - pad, max + pad];
					} } },
				series: series,
				axes: [{ label: "simulated time (s)" },
					{ label: s.unit, size: 70 }],
				hooks: { draw: [function (u) {
					drawEvents(u, ev);
					if (drawn)
						return;
					drawn = true;
					var p = painted(u.ctx.canvas);
					div.setAttribute("data-painted", String(p[0]));
					div.setAttribute("data-line-pixels",
						String(p[1]));
					if (--pending === 0 &&
					    status.getAttribute("data-state") !==
					    "error") {
						status.setAttribute("data-state", "ok");
						status.setAttribute("data-charts",
							String(made));
						status.textContent = made + " charts";
					}
				}] }
			}, data, div);
			made++;
		});
	}

	try {
		main();
	} catch (e) {
		fail(e && e.message ? e.message : String(e));
	}
})();
