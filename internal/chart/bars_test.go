package chart_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/chart"
)

func money(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s$%d.%02d", sign, v/100, v%100)
}

// parse checks that h is well-formed markup and returns every element's
// name with its attributes and text, in order.
func parse(t *testing.T, h string) []element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(h))
	var out []element
	var stack []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, h)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			stack = append(stack, len(out))
			out = append(out, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].Text += string(tok)
			}
		}
	}
	return out
}

type element struct {
	Name string
	Attr map[string]string
	Text string
}

func find(es []element, name string) []element {
	var out []element
	for _, e := range es {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// DASH-R, DASH-A: a chart is an SVG image named by its title and
// description, with labelled axes, one bar per point whose height follows
// its value, at most five labels under the bars, and every figure again in
// a table with the total.
func TestBarsAccessible(t *testing.T) {
	var pts []chart.Point
	var total int64
	for i := range 30 {
		v := int64(i * 150)
		pts = append(pts, chart.Point{Label: fmt.Sprintf("%d Nov", i+1), Value: v})
		total += v
	}
	h, err := chart.Bars{ID: "earn", Title: "Earnings <per day>", Desc: "Daily earnings over 30 days", XLabel: "Day (UTC)",
		YLabel: "Earned", Points: pts, Format: money}.HTML()
	if err != nil {
		t.Fatal(err)
	}
	es := parse(t, string(h))
	svg := find(es, "svg")
	if len(svg) != 1 || svg[0].Attr["role"] != "img" || svg[0].Attr["aria-labelledby"] != "earn-title earn-desc" {
		t.Fatalf("svg %+v", svg)
	}
	if ti := find(es, "title"); ti[0].Attr["id"] != "earn-title" || ti[0].Text != "Earnings <per day>" {
		t.Fatalf("title %+v", ti[0])
	}
	if !strings.Contains(string(h), "Earnings &lt;per day&gt;") {
		t.Fatal("the title is not escaped")
	}
	rects := find(es, "rect")
	if len(rects) != 30 {
		t.Fatalf("%d bars, want 30", len(rects))
	}
	var heights []float64
	for _, r := range rects {
		var hgt float64
		fmt.Sscan(r.Attr["height"], &hgt)
		heights = append(heights, hgt)
	}
	if heights[0] != 0 || heights[29] != 196 || heights[10] >= heights[20] {
		t.Fatalf("bar heights do not follow the values: %v", heights)
	}
	var texts []string
	for _, e := range find(es, "text") {
		texts = append(texts, e.Text)
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"Day (UTC)", "Earned", "$43.50", "$0.00", "30 Nov"} {
		if !strings.Contains(joined, want) {
			t.Fatalf("axis texts %q lack %q", joined, want)
		}
	}
	if days := strings.Count(joined, " Nov"); days > 6 || days < 4 {
		t.Fatalf("%d day labels under the bars: %q", days, joined)
	}
	rows := find(es, "tr")
	if len(rows) != 32 || !strings.Contains(string(h), "<td>"+money(total)+"</td>") || !strings.Contains(string(h), "<td>29 Nov</td><td>$42.00</td>") {
		t.Fatalf("%d table rows; total %s missing or rows wrong", len(rows), money(total))
	}
	if len(find(es, "details")) != 1 || len(find(es, "summary")) != 1 {
		t.Fatal("the table is not in a details element")
	}
}

// DASH-A: a day below zero (refunds larger than the day's revenue) draws
// below the zero line, and a chart of no points or of zeros still draws.
func TestBarsNegativeAndEmpty(t *testing.T) {
	h, err := chart.Bars{ID: "rev", Title: "Revenue", XLabel: "Day", YLabel: "Revenue", Format: money,
		Points: []chart.Point{{"1", 1000}, {"2", -500}, {"3", 0}}}.HTML()
	if err != nil {
		t.Fatal(err)
	}
	es := parse(t, string(h))
	rects := find(es, "rect")
	var zero float64
	for _, l := range find(es, "line") {
		if l.Attr["x1"] == "84.0" && l.Attr["y1"] == l.Attr["y2"] && l.Attr["stroke-opacity"] == "" {
			fmt.Sscan(l.Attr["y1"], &zero)
		}
	}
	var y0, y1 float64
	fmt.Sscan(rects[0].Attr["y"], &y0)
	fmt.Sscan(rects[1].Attr["y"], &y1)
	if zero == 0 || y0 >= zero || y1 != zero || !strings.Contains(string(h), "-$5.00") {
		t.Fatalf("zero line at %v, positive bar at %v, negative bar from %v:\n%s", zero, y0, y1, h)
	}
	for _, pts := range [][]chart.Point{nil, {{"a", 0}, {"b", 0}}} {
		h, err := chart.Bars{ID: "e", Title: "Empty", Points: pts}.HTML()
		if err != nil {
			t.Fatal(err)
		}
		if es := parse(t, string(h)); len(find(es, "rect")) != len(pts) || strings.Contains(string(h), "NaN") {
			t.Fatalf("empty chart:\n%s", h)
		}
	}
}
