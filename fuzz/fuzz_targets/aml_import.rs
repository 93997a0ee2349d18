//! Sanctions and PEP list files as downloaded: FollowTheMoney JSON Lines (`read_ftm`) and OFAC SDN
//! CSV with its alias file (`read_sdn`; the input split at its first NUL byte), imported under
//! small limits, indexed and screened against one subject. The first byte picks the format.
//! Nothing may panic; the import stays within its limits.
#![no_main]

use kyc_core::aml::{ImportLimits, ListBuilder, ListIndex, ListKind, Subject, read_ftm, read_sdn};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let limits = ImportLimits {
        max_entities: 200,
        ..ImportLimits::default()
    };
    let mut builder = ListBuilder::new(limits);
    let result = match selector % 4 {
        0 => read_ftm(rest, None, &mut builder),
        1 => read_ftm(rest, Some(ListKind::Pep), &mut builder),
        _ => match rest.iter().position(|&b| b == 0) {
            Some(i) => read_sdn(&rest[..i], Some(&rest[i + 1..]), &mut builder),
            None => read_sdn(rest, None::<&[u8]>, &mut builder),
        },
    };
    if result.is_err() {
        return;
    }
    let (entities, stats) = builder.finish();
    assert!(entities.len() <= limits.max_entities);
    let index = ListIndex::build("fuzz", entities, stats);
    let subject = Subject {
        names: vec!["IVAN PETROVICH IVANOV".to_owned(), "María López".to_owned()],
        birth_date: jiff::civil::Date::new(1961, 3, 5).ok(),
        nationality: Some("RUS".to_owned()),
    };
    for kind in [ListKind::Sanctions, ListKind::Pep] {
        let _ = index.screen(&subject, kind, 0.5, 10);
    }
});
