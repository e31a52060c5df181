//! Times the drawing of share images (`src/render/share_draw.rs`) on one
//! thread: `cargo run --release --example share_bench [N]`. Draws N cards
//! of every kind with Vietnamese text (N = 500 by default) after one
//! warm-up card of each (the glyph cache fills as a build's first cards
//! do), and prints the milliseconds per image and the bytes.

use tiendo::render::share::{Badge, Card, Figure, Rgb, colors, png};

fn cards(n: usize) -> Vec<Card> {
    let frame = |k: usize, kicker: &str, title: &str| Card {
        site: "Theo dõi tiến độ chuyển đổi số tỉnh Hải Dương".into(),
        kicker: kicker.into(),
        title: format!("{title} {k}"),
        badge: None,
        verdict: None,
        detail: String::new(),
        figures: Vec::new(),
        as_of: format!("Số liệu tính đến ngày {:02}/06/2025", k % 28 + 1),
        sample: "Dữ liệu minh họa".into(),
    };
    let figure = |v: String, l: &str, c: Rgb| Figure {
        value: v,
        label: l.into(),
        color: c,
    };
    (0..n)
        .map(|k| match k % 4 {
            0 => {
                let mut c = frame(k, "Nhiệm vụ · Mục 4.d · Sở KH&CN", "Triển khai nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối với nền tảng quốc gia, bảo đảm an toàn thông tin");
                c.badge = Some(Badge {
                    fill: Rgb(0x7a, 0x1a, 0x24),
                    ink: Rgb(0xff, 0xff, 0xff),
                    icon: "!",
                    label: "Quá hạn".into(),
                });
                c.detail = format!("Quá hạn {} ngày · Tiến độ: 60% · Hạn chót: 31/03/2025", k % 90);
                c
            }
            1 => {
                let mut c = frame(k, "Chỉ tiêu · Mục 4.b · Sở TT&TT", "Tỷ lệ dịch vụ công trực tuyến toàn trình");
                c.figures = vec![
                    figure(format!("{},5%", k % 100), "giá trị mới nhất (31/05/2025)", colors::ACCENT),
                    figure("90%".into(), "mục tiêu đến 31/12/2025", colors::GOOD),
                ];
                c.verdict = Some(("Chưa đủ nhanh để đạt mục tiêu".into(), colors::BAD));
                c
            }
            2 => {
                let mut c = frame(k, "Cơ quan · chủ trì 40 nhiệm vụ", "Sở Khoa học và Công nghệ tỉnh Hải Dương");
                c.figures = vec![
                    figure(format!("{}/30", k % 30), "nhiệm vụ đến hạn đã hoàn thành", colors::TEXT),
                    figure(format!("{}", k % 7), "nhiệm vụ đang quá hạn", Rgb(0x7a, 0x1a, 0x24)),
                    figure("66,7%".into(), "nhiệm vụ đã hoàn thành là đúng hạn", colors::TEXT),
                    figure("75,9%".into(), "tiến độ bình quân", colors::TEXT),
                ];
                c
            }
            _ => {
                let mut c = frame(k, "Báo cáo tháng", "Báo cáo tháng 6/2025");
                c.figures = vec![
                    figure(format!("{}", k % 400), "Đúng hạn", colors::GOOD),
                    figure("12".into(), "Muộn", colors::LATE),
                    figure("3".into(), "Chưa báo cáo", colors::BAD),
                ];
                c.detail = "415 cơ quan phải báo cáo, hạn 20/06/2025".into();
                c
            }
        })
        .collect()
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    for card in cards(4) {
        png(&card);
    }
    let all = cards(n);
    let start = std::time::Instant::now();
    let bytes: usize = all.iter().map(|c| png(c).len()).sum();
    let ms = start.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!(
        "{n} images: {ms:.2} ms each on one thread, {} bytes each on average",
        bytes / n
    );
}
