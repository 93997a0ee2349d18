//! A model built on first use. An optional model that few steps ask for (FaceAntiSpoofing: 8 MB,
//! its session built in about a tenth of a second) should not slow every host's start-up, nor hold
//! memory in hosts whose scenarios never use it.

use std::sync::{Arc, OnceLock};

use super::ModelError;

type Loader<T> = Box<dyn Fn() -> Result<T, ModelError> + Send + Sync>;

/// A model loaded, hash-checked and built the first time [`LazyModel::get`] is called; the
/// outcome, model or error, is kept for every later call.
pub struct LazyModel<T> {
    name: String,
    load: Loader<T>,
    cell: OnceLock<Result<Arc<T>, ModelError>>,
}

impl<T> LazyModel<T> {
    /// A model `load` builds when first asked for.
    pub fn new(
        name: &str,
        load: impl Fn() -> Result<T, ModelError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            name: name.to_owned(),
            load: Box::new(load),
            cell: OnceLock::new(),
        }
    }

    /// A model the host already built.
    pub fn ready(name: &str, model: Arc<T>) -> Self {
        let cell = OnceLock::new();
        // A fresh cell: setting it cannot fail.
        let _ = cell.set(Ok(model));
        Self {
            name: name.to_owned(),
            load: Box::new(|| Err(ModelError::Unknown("already loaded".to_owned()))),
            cell,
        }
    }

    /// The model, built now if this is the first call. Concurrent first calls build it once.
    pub fn get(&self) -> Result<Arc<T>, ModelError> {
        self.cell
            .get_or_init(|| (self.load)().map(Arc::new))
            .clone()
    }

    /// Whether the model has been built (or its building failed).
    pub fn is_loaded(&self) -> bool {
        self.cell.get().is_some()
    }
}

impl<T> std::fmt::Debug for LazyModel<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyModel")
            .field("name", &self.name)
            .field("loaded", &self.is_loaded())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn builds_once_on_first_use_and_keeps_errors() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let lazy = LazyModel::new("m", move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(7u32)
        });
        assert!(!lazy.is_loaded());
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        assert_eq!(*lazy.get().unwrap(), 7);
        assert_eq!(*lazy.get().unwrap(), 7);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(format!("{lazy:?}").contains("loaded: true"));

        let failing: LazyModel<u32> = LazyModel::new("bad", || {
            Err(ModelError::Missing {
                name: "bad".into(),
                path: "/nowhere".into(),
            })
        });
        assert_eq!(failing.get().unwrap_err().code(), "model.missing");
        assert_eq!(failing.get().unwrap_err().code(), "model.missing");

        let ready = LazyModel::ready("r", Arc::new(3u32));
        assert!(ready.is_loaded());
        assert_eq!(*ready.get().unwrap(), 3);
    }
}
