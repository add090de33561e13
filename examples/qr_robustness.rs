//! Measures how well full chunk codes of QR versions 8 to 15 at EC L, M and Q
//! still decode when a webcam reads them off a screen: the whole code (quiet
//! zone included) is resampled to a fixed number of camera pixels (220 down to
//! 130: 2 to 4 px per module) with a 2° rotation and a random sub-pixel offset,
//! blurred (focus, σ 0.7 px), its contrast reduced to 45..205 (glare) and
//! Gaussian noise of σ 10 added (sensor). Decoders: rqrr (in process) and, when installed, `zbarimg`.
//! Prints the Markdown table of docs/qr-chunks.md.
//!
//! `cargo run --example qr_robustness [TRIALS]` (default 12 codes per cell)

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use byok_ceremony::qr::{self, ChunkOptions, EcLevel};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// One way the camera sees the screen.
struct Condition {
    name: &'static str,
    /// Camera pixels across the whole code, quiet zone included: a fixed
    /// budget (distance and resolution), so a higher version gets fewer
    /// pixels per module.
    span_px: f64,
    /// Gaussian blur, in camera pixels.
    blur_sigma: f64,
    /// Standard deviation of the added noise (of 255).
    noise: f64,
}

const CONDITIONS: [Condition; 4] = [
    Condition { name: "220 px", span_px: 220.0, blur_sigma: 0.7, noise: 10.0 },
    Condition { name: "180 px", span_px: 180.0, blur_sigma: 0.7, noise: 10.0 },
    Condition { name: "150 px", span_px: 150.0, blur_sigma: 0.7, noise: 10.0 },
    Condition { name: "130 px", span_px: 130.0, blur_sigma: 0.7, noise: 10.0 },
];

/// Rotation of the code in the camera image, in degrees.
const ROTATION_DEG: f64 = 2.0;
/// What black and white become after glare and exposure (of 255).
const BLACK: f64 = 45.0;
const WHITE: f64 = 205.0;
/// Subsamples per camera pixel side (area sampling).
const SUBSAMPLES: usize = 4;

struct Image {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

/// The module matrix with quiet zone (true = dark), from a 1 px/module PNG.
fn modules(text: &str, version: i16, ec: EcLevel) -> (usize, Vec<bool>) {
    let png_bytes = qr::render_png_scaled(text, Some(version), ec, 1).expect("render");
    let mut reader = png::Decoder::new(Cursor::new(png_bytes)).read_info().expect("png");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("frame");
    let side = info.width as usize;
    (side, buf[..side * side].iter().map(|&p| p < 128).collect())
}

/// The camera's view of the module matrix.
fn camera(side: usize, dark: &[bool], c: &Condition, rng: &mut ChaCha20Rng) -> Image {
    let margin = 6.0;
    let px_per_module = c.span_px / side as f64;
    let out_side = (c.span_px + 2.0 * margin).ceil() as usize;
    let (sin, cos) = ROTATION_DEG.to_radians().sin_cos();
    let centre = out_side as f64 / 2.0;
    let offset = (unit(rng) - 0.5, unit(rng) - 0.5);
    let mut light = vec![0f64; out_side * out_side];
    for y in 0..out_side {
        for x in 0..out_side {
            let mut sum = 0.0;
            for sy in 0..SUBSAMPLES {
                for sx in 0..SUBSAMPLES {
                    let fx = x as f64 + (sx as f64 + 0.5) / SUBSAMPLES as f64 - centre + offset.0;
                    let fy = y as f64 + (sy as f64 + 0.5) / SUBSAMPLES as f64 - centre + offset.1;
                    let u = (cos * fx + sin * fy) / px_per_module + side as f64 / 2.0;
                    let v = (-sin * fx + cos * fy) / px_per_module + side as f64 / 2.0;
                    let inside = u >= 0.0 && v >= 0.0 && (u as usize) < side && (v as usize) < side;
                    let is_dark = inside && dark[v as usize * side + u as usize];
                    sum += if is_dark { 0.0 } else { 1.0 };
                }
            }
            light[y * out_side + x] = sum / (SUBSAMPLES * SUBSAMPLES) as f64;
        }
    }
    let blurred = blur(&light, out_side, c.blur_sigma);
    let px = blurred
        .iter()
        .map(|&l| (BLACK + l * (WHITE - BLACK) + gaussian(rng) * c.noise).round().clamp(0.0, 255.0) as u8)
        .collect();
    Image { w: out_side, h: out_side, px }
}

/// Separable Gaussian blur of a square image.
fn blur(img: &[f64], side: usize, sigma: f64) -> Vec<f64> {
    let radius = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f64> =
        (-radius..=radius).map(|i| (-((i * i) as f64) / (2.0 * sigma * sigma)).exp()).collect();
    let total: f64 = kernel.iter().sum();
    let pass = |src: &[f64], horizontal: bool| -> Vec<f64> {
        let mut out = vec![0.0; src.len()];
        for y in 0..side {
            for x in 0..side {
                let mut acc = 0.0;
                for (k, weight) in kernel.iter().enumerate() {
                    let d = k as isize - radius;
                    let (sx, sy) =
                        if horizontal { (x as isize + d, y as isize) } else { (x as isize, y as isize + d) };
                    let sx = sx.clamp(0, side as isize - 1) as usize;
                    let sy = sy.clamp(0, side as isize - 1) as usize;
                    acc += weight * src[sy * side + sx];
                }
                out[y * side + x] = acc / total;
            }
        }
        out
    };
    pass(&pass(img, true), false)
}

fn unit(rng: &mut ChaCha20Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A standard normal sample (Box–Muller).
fn gaussian(rng: &mut ChaCha20Rng) -> f64 {
    let (a, b) = (unit(rng).max(1e-12), unit(rng));
    (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
}

fn rqrr_reads(img: &Image, want: &str) -> bool {
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(img.w, img.h, |x, y| img.px[y * img.w + x]);
    prepared.detect_grids().iter().any(|g| g.decode().is_ok_and(|(_, text)| text == want))
}

fn write_png(path: &Path, img: &Image) {
    let file = std::fs::File::create(path).expect("create png");
    let mut enc = png::Encoder::new(file, img.w as u32, img.h as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().and_then(|mut w| w.write_image_data(&img.px)).expect("write png");
}

/// How many of `want` zbarimg reads from the images `paths` (one text per image).
fn zbar_reads(paths: &[String], want: &[String]) -> usize {
    let Ok(out) = Command::new("zbarimg").args(["--raw", "-q"]).args(paths).output() else {
        return 0;
    };
    let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    want.iter()
        .filter(|w| {
            let found = got.iter().position(|g| g == *w);
            found.map(|i| got.swap_remove(i)).is_some()
        })
        .count()
}

fn main() {
    let trials: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(12);
    let zbar = Command::new("zbarimg").arg("--version").output().is_ok();
    let dir = std::env::temp_dir().join(format!("qr-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rng = ChaCha20Rng::seed_from_u64(2026);
    let heads: Vec<&str> = CONDITIONS.iter().map(|c| c.name).collect();
    println!(
        "{trials} full chunk codes per cell; rqrr / zbarimg decoded{}\n",
        if zbar { "" } else { " (zbarimg missing: 0)" }
    );
    println!("| version, EC | px per module | {} |", heads.join(" | "));
    println!("|---|---|{}", "---|".repeat(CONDITIONS.len()));
    for version in 8..=15i16 {
        for ec in [EcLevel::L, EcLevel::M, EcLevel::Q] {
            // Full chunks: a file long enough that every chunk fills a code of this version.
            let mut data = vec![0; 6000];
            rng.fill_bytes(&mut data);
            let set = qr::split(&data, &ChunkOptions { max_version: version, ec_level: ec }).expect("split");
            let texts: Vec<String> = set.chunks.iter().take(trials).map(|c| c.text.clone()).collect();
            let mut cells = Vec::new();
            for c in &CONDITIONS {
                let (mut by_rqrr, mut paths) = (0, Vec::new());
                for (i, text) in texts.iter().enumerate() {
                    let (side, dark) = modules(text, set.version, ec);
                    let img = camera(side, &dark, c, &mut rng);
                    by_rqrr += usize::from(rqrr_reads(&img, text));
                    let path = dir.join(format!("{i}.png"));
                    write_png(&path, &img);
                    paths.push(path.display().to_string());
                }
                let by_zbar = if zbar { zbar_reads(&paths, &texts) } else { 0 };
                let n = texts.len();
                cells.push(format!("{} / {}", pct(by_rqrr, n), pct(by_zbar, n)));
            }
            let side = (17 + 4 * set.version as usize + 2 * qr::QUIET_ZONE) as f64;
            let ppm: Vec<String> = CONDITIONS.iter().map(|c| format!("{:.1}", c.span_px / side)).collect();
            println!("| {}, {ec:?} | {} | {} |", set.version, ppm.join("–"), cells.join(" | "));
        }
    }
    if std::env::var_os("KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("images kept in {}", dir.display());
    }
}

fn pct(k: usize, n: usize) -> String {
    format!("{}%", (100 * k + n / 2) / n.max(1))
}
