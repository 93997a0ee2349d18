//! Model bytes through the protobuf walker and the load-time edits (`model::fuzzing`: initializer
//! inputs stripped, input dimensions freed, an INT64 initializer rewritten, PRelu rewritten), as
//! the runtime applies them before ONNX Runtime reads the file. The file's hash is checked first
//! in production, so these bytes are trusted there; fuzzing them keeps a swapped model directory a
//! typed error. Nothing may panic; an edited model can be edited again.
#![no_main]

use kyc_core::model::GraphEdit;
use kyc_core::model::fuzzing::{apply, strip_initializer_inputs};
use libfuzzer_sys::fuzz_target;

const EDITS: &[&[GraphEdit]] = &[
    &[GraphEdit::PReluAsBatchNorm],
    &[GraphEdit::FreeInputDims {
        input: "input",
        dims: &[2, 3],
    }],
    &[
        GraphEdit::FreeInputDims {
            input: "input",
            dims: &[0],
        },
        GraphEdit::Int64Values {
            name: "shape",
            values: &[-1, 128],
        },
        GraphEdit::PReluAsBatchNorm,
    ],
];

fuzz_target!(|data: &[u8]| {
    if let Ok(stripped) = strip_initializer_inputs(data) {
        // Stripping is idempotent.
        match strip_initializer_inputs(&stripped) {
            Ok(twice) => assert_eq!(&*twice, &*stripped, "stripping twice changed the model"),
            Err(e) => panic!("a stripped model no longer parses: {e}"),
        }
    }
    for edits in EDITS {
        if let Ok(edited) = apply(data, edits) {
            let _ = strip_initializer_inputs(&edited);
        }
    }
});
