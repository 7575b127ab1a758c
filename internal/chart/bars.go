// Package chart draws the dashboards' charts on the server as SVG that
// reads without JavaScript: a title and description for screen readers,
// labelled axes, and the figures again as a table in a <details> below.
package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
)

// Point is one bar: its label on the x axis and in the table, and its value.
type Point struct {
	Label string
	Value int64
}

// Bars is a bar chart of values over a run of labels (days). ID must be
// unique on the page: the title and description are found by it. Format
// writes a value as people read it (money); the axes carry XLabel and
// YLabel.
type Bars struct {
	ID, Title, Desc string
	XLabel, YLabel  string
	Points          []Point
	Format          func(int64) string
}

// The drawing's size in SVG units; it scales to the width of its box.
const (
	width, height          = 640, 260
	left, right, top, foot = 84, 28, 12, 52
)

// bar is a bar's rectangle, in SVG units.
type bar struct {
	X, Y, W, H float64
	Label      string
	Value      string
}

// tick is a labelled line across the plot at a value, or a label below a bar.
type tick struct {
	X, Y  float64
	Label string
}

// drawing is what the template draws.
type drawing struct {
	Bars
	W, H, PlotL, PlotR, PlotT, PlotB, Zero float64
	Rects                                  []bar
	YTicks, XTicks                         []tick
	Rows                                   []Point
	Total                                  string
}

var tmpl = template.Must(template.New("bars").Funcs(template.FuncMap{
	"f":   func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"fmt": func(fn func(int64) string, v int64) string { return fn(v) },
	"add": func(a, b float64) float64 { return a + b },
	"sub": func(a, b float64) float64 { return a - b },
	"mid": func(a, b float64) float64 { return (a + b) / 2 },
}).Parse(`<figure class="chart" id="{{.ID}}">
<svg viewBox="0 0 {{f .W}} {{f .H}}" width="100%" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc" preserveAspectRatio="xMidYMid meet" font-size="13" fill="currentColor">
<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{range .YTicks}}<line x1="{{f $.PlotL}}" x2="{{f $.PlotR}}" y1="{{f .Y}}" y2="{{f .Y}}" stroke="currentColor" stroke-opacity="0.15"/>
<text x="{{f (sub $.PlotL 6)}}" y="{{f .Y}}" text-anchor="end" dominant-baseline="middle">{{.Label}}</text>
{{end}}{{range .Rects}}<rect x="{{f .X}}" y="{{f .Y}}" width="{{f .W}}" height="{{f .H}}" fill="#c9a227"><title>{{.Label}}: {{.Value}}</title></rect>
{{end}}<line x1="{{f .PlotL}}" x2="{{f .PlotR}}" y1="{{f .Zero}}" y2="{{f .Zero}}" stroke="currentColor"/>
<line x1="{{f .PlotL}}" x2="{{f .PlotL}}" y1="{{f .PlotT}}" y2="{{f .PlotB}}" stroke="currentColor"/>
{{range .XTicks}}<text x="{{f .X}}" y="{{f (add $.PlotB 16)}}" text-anchor="middle">{{.Label}}</text>
{{end}}<text x="{{f (mid .PlotL .PlotR)}}" y="{{f (sub .H 6)}}" text-anchor="middle">{{.XLabel}}</text>
<text transform="translate(14 {{f (mid .PlotT .PlotB)}}) rotate(-90)" text-anchor="middle">{{.YLabel}}</text>
</svg>
<details><summary>{{.Title}} as a table</summary>
<table class="table"><caption class="sr-only">{{.Title}}</caption><thead><tr><th scope="col">{{.XLabel}}</th><th scope="col">{{.YLabel}}</th></tr></thead>
<tbody>{{range .Rows}}<tr><td>{{.Label}}</td><td>{{fmt $.Format .Value}}</td></tr>{{end}}</tbody>
<tfoot><tr><th scope="row">Total</th><td>{{.Total}}</td></tr></tfoot></table>
</details>
</figure>`))

// HTML draws the chart: the SVG with its title, description, axes and at
// most five labels on the x axis (so a phone can read them), then every
// point in a table. A chart of no points draws an empty plot.
func (b Bars) HTML() (template.HTML, error) {
	if b.Format == nil {
		b.Format = func(v int64) string { return strconv.FormatInt(v, 10) }
	}
	d := drawing{Bars: b, W: width, H: height, PlotL: left, PlotR: width - right, PlotT: top, PlotB: height - foot, Rows: b.Points}
	lo, hi, total := int64(0), int64(0), int64(0)
	for _, p := range b.Points {
		lo, hi, total = min(lo, p.Value), max(hi, p.Value), total+p.Value
	}
	d.Total = b.Format(total)
	if hi == lo {
		hi = lo + 1 // a flat series still has a scale
	}
	span := d.PlotB - d.PlotT
	y := func(v int64) float64 { return d.PlotT + span*float64(hi-v)/float64(hi-lo) }
	d.Zero = y(0)
	levels := []int64{hi, hi / 2, 0}
	if lo < 0 {
		levels = append(levels, lo)
	}
	for _, v := range levels {
		if len(d.YTicks) > 0 && d.YTicks[len(d.YTicks)-1].Label == b.Format(v) {
			continue
		}
		d.YTicks = append(d.YTicks, tick{Y: y(v), Label: b.Format(v)})
	}
	if n := len(b.Points); n > 0 {
		step := (d.PlotR - d.PlotL) / float64(n)
		every := max(1, (n+4)/5)
		for i, p := range b.Points {
			x := d.PlotL + step*float64(i)
			top, bottom := min(y(p.Value), d.Zero), max(y(p.Value), d.Zero)
			d.Rects = append(d.Rects, bar{X: x + step*0.1, Y: top, W: step * 0.8, H: bottom - top, Label: p.Label, Value: b.Format(p.Value)})
			if (n-1-i)%every == 0 {
				d.XTicks = append(d.XTicks, tick{X: x + step/2, Label: p.Label})
			}
		}
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, d); err != nil {
		return "", fmt.Errorf("chart: %s: %w", b.ID, err)
	}
	return template.HTML(buf.String()), nil // #nosec G203 -- escaped by html/template
}
