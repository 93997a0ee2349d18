//! MRZ parse + validate throughput (TD1 and TD3), and OCR reading of a clean TD3.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;
use kyc_core::document::mrz::{self, MrzData, MrzFormat};

fn sample(format: MrzFormat) -> Vec<String> {
    let data = MrzData {
        format,
        document_code: if format == MrzFormat::Td3 {
            "P".into()
        } else {
            "ID".into()
        },
        issuing_state: "CHE".into(),
        surname: "ERIKSSON".into(),
        given_names: "ANNA MARIA".into(),
        document_number: "L898902C3".into(),
        nationality: "CHE".into(),
        birth_date: "740812".into(),
        sex: 'F',
        expiry_date: "320415".into(),
        optional_data: if format == MrzFormat::Td3 {
            "ZE184226B".into()
        } else {
            String::new()
        },
        optional_data_2: String::new(),
    };
    mrz::render(&data).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let today = date(2026, 6, 1);
    let mut g = c.benchmark_group("mrz");
    g.throughput(Throughput::Elements(1));
    for (name, format) in [
        ("td1_parse_validate", MrzFormat::Td1),
        ("td3_parse_validate", MrzFormat::Td3),
    ] {
        let lines = sample(format);
        g.bench_function(name, |b| {
            b.iter(|| {
                let m = mrz::parse(black_box(&lines), today);
                black_box(m.map(|m| m.valid()).unwrap_or(false))
            })
        });
    }
    let lines = sample(MrzFormat::Td3);
    g.bench_function("td3_parse_report", |b| {
        b.iter(|| black_box(mrz::parse(black_box(&lines), today).map(|m| m.report())).is_ok())
    });
    g.bench_function("td3_read_ocr", |b| {
        b.iter(|| black_box(mrz::read_ocr(black_box(&lines), today).map(|r| r.mrz.valid())).is_ok())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
