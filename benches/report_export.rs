//! CSV and JSON Lines export throughput (sessions per second), over sessions generated from the
//! sample fixture. `KYC_BENCH_SESSIONS` sets how many per iteration (default 10 000).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kyc_core::Session;
use kyc_core::report::{self, CsvOptions, ExportFormat, ReportError, ReportFilter};

fn sessions(n: usize) -> Vec<Session> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/sessions/sample.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let templates: Vec<Session> = text
        .lines()
        .filter_map(|l| Session::from_json(l).ok())
        .collect();
    if templates.is_empty() {
        eprintln!("no sessions in {path}");
        std::process::exit(1);
    }
    (0..n)
        .map(|i| {
            let mut s = templates[i % templates.len()].clone();
            s.id = format!("bench-{i}");
            s
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("KYC_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let all = sessions(n);
    let mut group = c.benchmark_group("report_export");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    for (name, format) in [
        ("csv", ExportFormat::Csv(CsvOptions { bom: true })),
        ("jsonl", ExportFormat::Jsonl),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let input = all.iter().cloned().map(Ok::<Session, ReportError>);
                report::export(input, &ReportFilter::default(), format, std::io::sink())
                    .map(|(stats, _)| black_box(stats.written))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
