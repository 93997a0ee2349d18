//! The stores a host hands its verifier: face lists and the history of approved documents, in
//! memory (the façade's handles), shared between the app and the engine.

use std::sync::Arc;

use kyc_core::face::FaceTemplate;

use crate::KycError;

/// Named face lists (customers, blacklist): enrol faces here, hand the lists to a [`crate::Verifier`].
#[derive(uniffi::Object, Default)]
pub struct FaceLists(pub(crate) kyc_core::facade::FaceListStore);

#[uniffi::export]
impl FaceLists {
    /// No lists yet.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Adds (or replaces) `person_id`'s face in `list_id` (templates from
    /// [`crate::Verifier::face_template`]).
    pub fn add(
        &self,
        list_id: String,
        person_id: String,
        template: FaceTemplate,
    ) -> Result<(), KycError> {
        Ok(self.0.add(&list_id, &person_id, &template)?)
    }

    /// Removes `person_id` from `list_id`; true when they were there.
    pub fn remove(&self, list_id: String, person_id: String) -> bool {
        self.0.remove(&list_id, &person_id)
    }

    /// People in `list_id`.
    pub fn count(&self, list_id: String) -> u64 {
        self.0.len(&list_id) as u64
    }
}

/// The history of approved documents under one tenant key (32 to 512 secret bytes).
#[derive(uniffi::Object)]
pub struct History(pub(crate) kyc_core::facade::HistoryKeyStore);

#[uniffi::export]
impl History {
    /// A history under `key`.
    #[uniffi::constructor]
    pub fn new(key: Vec<u8>) -> Result<Arc<Self>, KycError> {
        Ok(Arc::new(Self(kyc_core::facade::HistoryKeyStore::new(
            &key,
        )?)))
    }

    /// People recorded.
    pub fn count(&self) -> u64 {
        self.0.len() as u64
    }
}
