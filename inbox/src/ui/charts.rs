//! The reports page's charts, drawn on the server as SVG with plotters: bars per label, lines
//! per day, and the weekday × hour heatmap. Every label is text the page already shows (UI
//! words, dates, categories): made plain before it goes into the SVG, which the page embeds.

use plotters::chart::MeshStyle;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 260;
/// The palette: readable on white, and apart for the colour-blind (Okabe–Ito).
const SERIES: [RGBColor; 4] =
    [RGBColor(0, 114, 178), RGBColor(230, 159, 0), RGBColor(0, 158, 115), RGBColor(204, 121, 167)];
const FONT: &str = "sans-serif";

/// Text as it may appear inside the SVG: markup characters left out.
fn plain(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '<' | '>' | '&' | '"' | '\'')).take(40).collect()
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// The SVG `draw` draws on a white canvas, or an empty string when plotters could not draw it
/// (logged).
fn drawn(draw: impl FnOnce(&Area<'_>) -> Drawn) -> String {
    let mut svg = String::new();
    let result: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
        Ok(())
    })();
    if let Err(error) = result {
        tracing::warn!(%error, "a chart could not be drawn");
        return String::new();
    }
    // A chart scales with the page (phones included): its viewBox alone sizes it.
    svg.replacen(&format!("width=\"{WIDTH}\" height=\"{HEIGHT}\" "), "", 1).replacen("<svg ", "<svg role=\"img\" ", 1)
}

/// A chart's frame: margins, and room for the axes' labels.
fn frame<'a, 'b>(root: &'a Area<'b>, y_labels_width: u32) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(root);
    builder.margin(10).x_label_area_size(40).y_label_area_size(y_labels_width);
    builder
}

/// The value axis every chart but the heatmap shows: its name, five labels, no light lines.
fn value_axis<X: Ranged, Y: Ranged, DB: DrawingBackend>(mesh: &mut MeshStyle<'_, '_, X, Y, DB>, name: &str) {
    mesh.y_desc(plain(name)).label_style((FONT, 20)).axis_desc_style((FONT, 18)).light_line_style(WHITE).y_labels(5);
}

/// Vertical bars, one per label.
pub fn bars(labels: &[String], values: &[f64], y_label: &str) -> String {
    let labels: Vec<String> = labels.iter().map(|l| plain(l)).collect();
    let top = values.iter().copied().fold(0.0, f64::max).max(1.0) * 1.1;
    drawn(|root| {
        let mut chart = frame(root, 64).build_cartesian_2d((0..labels.len().max(1)).into_segmented(), 0.0..top)?;
        let label = |x: &SegmentValue<usize>| match x {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        let mut mesh = chart.configure_mesh();
        mesh.disable_x_mesh().x_labels(labels.len().clamp(1, 12)).x_label_formatter(&label);
        value_axis(&mut mesh, y_label);
        mesh.draw()?;
        chart.draw_series(values.iter().enumerate().map(|(i, v)| {
            let mut bar =
                Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), *v)], SERIES[0].filled());
            bar.set_margin(0, 0, 6, 6);
            bar
        }))?;
        Ok(())
    })
}

/// Lines over days: each series a name and one value per day (`None`: nothing that day).
pub fn lines(days: &[String], series: &[(String, Vec<Option<f64>>)], y_label: &str) -> String {
    let days: Vec<String> = days.iter().map(|d| plain(d.get(5..).unwrap_or(d))).collect();
    let top = series.iter().flat_map(|(_, v)| v.iter().flatten()).copied().fold(0.0, f64::max).max(1.0) * 1.1;
    drawn(|root| {
        let last = days.len().saturating_sub(1).max(1);
        let mut chart = frame(root, 72).build_cartesian_2d(0..last, 0.0..top)?;
        let label = |i: &usize| days.get(*i).cloned().unwrap_or_default();
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(days.len().clamp(1, 10)).x_label_formatter(&label);
        value_axis(&mut mesh, y_label);
        mesh.draw()?;
        for (n, (name, values)) in series.iter().enumerate() {
            let color = SERIES[n % SERIES.len()];
            let points: Vec<(usize, f64)> = values.iter().enumerate().filter_map(|(i, v)| Some((i, (*v)?))).collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
                .label(plain(name))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], color.stroke_width(2)));
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font((FONT, 18))
            .draw()?;
        Ok(())
    })
}

/// Counts per weekday (rows, Monday first) and hour (columns), darker for more.
pub fn heatmap(grid: &[[u64; 24]; 7], weekdays: &[String; 7]) -> String {
    let weekdays: Vec<String> = weekdays.iter().map(|d| plain(d)).collect();
    let most = grid.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    drawn(|root| {
        let mut chart = frame(root, 72).build_cartesian_2d(0..24usize, 0..7usize)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(12)
            .y_labels(7)
            .y_label_formatter(&|d| weekdays.get(6 - (*d).min(6)).cloned().unwrap_or_default())
            .label_style((FONT, 20))
            .draw()?;
        chart.draw_series(grid.iter().enumerate().flat_map(|(day, hours)| {
            hours.iter().enumerate().map(move |(hour, count)| {
                let shade = *count as f64 / most;
                let level = |full: u8| (255.0 - (255.0 - full as f64) * shade) as u8;
                let color = RGBColor(level(0), level(90), level(160));
                // Monday on top.
                Rectangle::new([(hour, 6 - day), (hour + 1, 7 - day)], color.filled())
            })
        }))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_scalable_svg_with_their_labels_made_plain() {
        let svg = bars(&["asked".into(), "<script>".into()], &[3.0, 1.0], "cycles");
        assert!(svg.starts_with("<svg role=\"img\" viewBox=\"0 0 640 260\""), "{svg}");
        assert_eq!(svg.matches("viewBox").count(), 1);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("asked"));
        let svg = lines(&["2026-11-23".into(), "2026-11-24".into()], &[("p50".into(), vec![Some(60.0), None])], "s");
        assert!(svg.contains("11-23") && svg.contains("p50"), "{svg}");
        let days = ["一", "二", "三", "四", "五", "六", "日"].map(String::from);
        let mut grid = [[0; 24]; 7];
        grid[0][9] = 4;
        let svg = heatmap(&grid, &days);
        assert!(svg.contains("一") && svg.contains("<rect"), "{svg}");
    }
}
