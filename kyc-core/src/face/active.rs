//! Active liveness: a random challenge (turn left, turn right, nod) the person performs in front of
//! the camera, judged from a sequence of frames by landmark pose, with the identity held across the
//! frames. A photo or a replayed recording of someone else's movements fails because the order of
//! movements is drawn per session and unknown in advance.
//!
//! The challenge is derived, not stored: HMAC-SHA256 of the session and step ids under the
//! scenario's secret key. The host asks the engine for it to show the prompts, the analyser derives
//! the same one to judge the frames, and nobody without the secret can predict it.

use hmac::{Hmac, Mac};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::geometry::Landmarks;
use super::pose::Pose;
use crate::check::CheckResult;
use crate::check::catalogue::liveness as catalogue;

/// One movement to perform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Challenge {
    /// Turn the head to the person's own left.
    TurnLeft,
    /// Turn the head to the person's own right.
    TurnRight,
    /// Nod: tip the head down and up.
    Nod,
}

/// A turn counts when the nose moves this many eye distances sideways from the first frame. With
/// the nose tip about 25 mm in front of the eyes and 63 mm between pupils, the proxy is about
/// 0.4 × tan(turn), so 0.15 is a turn of about 20 degrees; a still face's frame-to-frame jitter is
/// a few hundredths. Set from head geometry, not yet calibrated on recorded challenges.
pub const TURN_YAW: f64 = 0.15;
/// A nod counts when the nose's height between eyes and mouth spans this much (fraction of the
/// eye-to-mouth distance) within the nod's frames: about 0.36 × tan(tilt) each way, so 0.1 is a
/// tilt of about 8 degrees down and up. Set from head geometry like [`TURN_YAW`].
pub const NOD_PITCH_RANGE: f64 = 0.1;
/// The first frame must face the camera: |yaw| under this.
pub const FRONTAL_YAW: f64 = 0.15;

/// The challenge of `count` movements for a session's liveness step (no movement twice in a row).
pub fn challenges(secret: &[u8], session_id: &str, step_id: &str, count: u8) -> Vec<Challenge> {
    // HMAC accepts keys of any length, so this cannot fail; an empty list is the safe fallback.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return Vec::new();
    };
    mac.update(b"kyc.liveness.challenge\0");
    mac.update(session_id.as_bytes());
    mac.update(b"\0");
    mac.update(step_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let all = [Challenge::TurnLeft, Challenge::TurnRight, Challenge::Nod];
    let mut out: Vec<Challenge> = Vec::with_capacity(usize::from(count));
    for byte in digest.iter().take(usize::from(count.min(16))) {
        let mut pick = all[usize::from(*byte) % 3];
        if out.last() == Some(&pick) {
            pick = all[(usize::from(*byte) / 3 + 1 + usize::from(*byte) % 3) % 3];
        }
        out.push(pick);
    }
    out
}

/// What was seen in one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameObservation {
    /// Faces found.
    pub faces: usize,
    /// Pose of the main face.
    pub pose: Option<Pose>,
    /// The main face's five landmarks (eyes, nose tip, mouth corners).
    pub landmarks: Option<Landmarks>,
    /// The frame's width and height.
    pub size: (u32, u32),
    /// A digest of the frame's pixels, to find a frame repeated.
    pub digest: u64,
}

/// A digest of an image's pixels (FNV-1a over the bytes and the size): equal for the same
/// picture, different for two camera frames, whose noise always differs.
pub fn pixel_digest(width: u32, height: u32, pixels: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in width
        .to_le_bytes()
        .iter()
        .chain(&height.to_le_bytes())
        .chain(pixels)
    {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// `liveness.active.sequence`: one recording, of one size, no frame repeated.
pub fn sequence_check(frames: &[FrameObservation]) -> CheckResult {
    let row = &catalogue::ACTIVE_SEQUENCE;
    if frames.windows(2).any(|w| w[0].size != w[1].size) {
        return row.rule_as(false, catalogue::MIXED_SIZES, "the frames differ in size");
    }
    let mut seen: Vec<u64> = frames.iter().map(|f| f.digest).collect();
    seen.sort_unstable();
    let repeated = seen.windows(2).filter(|w| w[0] == w[1]).count();
    if repeated > 0 {
        return row.rule_as(
            false,
            catalogue::REPEATED_FRAME,
            format!("{repeated} frame(s) repeat an earlier one pixel for pixel"),
        );
    }
    row.rule(
        true,
        format!("{} frames of one size, none repeated", frames.len()),
    )
}

/// `liveness.active.depth` from the texture residual of each completed movement's peak against
/// the first frame ([`crate::face::planarity::texture_residual`]): the median must reach the
/// catalogue's `MIN_DEPTH_RESIDUAL`.
pub fn depth_check(mut measured: Vec<f64>) -> CheckResult {
    let row = &catalogue::ACTIVE_DEPTH;
    if measured.is_empty() {
        return row.not_made("no completed movement whose face texture could be matched");
    }
    measured.sort_by(f64::total_cmp);
    let n = measured.len();
    let median = if n % 2 == 1 {
        measured[n / 2]
    } else {
        (measured[n / 2 - 1] + measured[n / 2]) / 2.0
    };
    row.scored_failing_as(
        median,
        catalogue::FLAT,
        format!(
            "median departure of the face's texture from one homography over {n} movement(s), \
             in eye distances (each: {})",
            measured
                .iter()
                .map(|m| format!("{m:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// The judged movements: the evidence and, for each completed movement, the frame at its peak
/// (whose face the caller compares with the first frame's).
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// `liveness.active.frames`, `liveness.active.face_count` and `liveness.active.challenges`.
    pub checks: Vec<CheckResult>,
    /// Frame index of each completed movement's peak, in challenge order.
    pub peaks: Vec<usize>,
}

/// Judges `frames` against `challenge`.
pub fn judge(challenge: &[Challenge], frames: &[FrameObservation]) -> Judgement {
    let mut checks =
        vec![catalogue::ACTIVE_FRAMES.scored(frames.len() as f64, "frames in the sequence")];
    let single = frames.iter().filter(|f| f.faces == 1).count();
    let share = if frames.is_empty() {
        0.0
    } else {
        single as f64 / frames.len() as f64
    };
    checks
        .push(catalogue::ACTIVE_FACE_COUNT.scored(share, "share of frames with exactly one face"));

    let mut peaks = Vec::new();
    let base = frames.first().and_then(|f| f.pose);
    let frontal = base.is_some_and(|b| b.yaw.abs() < FRONTAL_YAW);
    if let (Some(base), true) = (base, frontal) {
        let mut next = 0usize;
        let (mut low, mut high) = (f64::MAX, f64::MIN);
        let (mut low_at, mut high_at) = (0usize, 0usize);
        for (i, frame) in frames.iter().enumerate().skip(1) {
            let Some(&wanted) = challenge.get(next) else {
                break;
            };
            let Some(pose) = frame.pose.filter(|_| frame.faces == 1) else {
                continue;
            };
            let done = match wanted {
                Challenge::TurnLeft => pose.yaw - base.yaw >= TURN_YAW,
                Challenge::TurnRight => base.yaw - pose.yaw >= TURN_YAW,
                Challenge::Nod => {
                    if pose.pitch < low {
                        (low, low_at) = (pose.pitch, i);
                    }
                    if pose.pitch > high {
                        (high, high_at) = (pose.pitch, i);
                    }
                    high - low >= NOD_PITCH_RANGE
                }
            };
            if done {
                peaks.push(if wanted == Challenge::Nod {
                    low_at.max(high_at)
                } else {
                    i
                });
                next += 1;
                (low, high) = (f64::MAX, f64::MIN);
            }
        }
    }
    let total = challenge.len().max(1);
    checks.push(catalogue::ACTIVE_CHALLENGES.scored_failing_as(
        peaks.len() as f64 / total as f64,
        if frontal {
            catalogue::CHALLENGE_MISSED
        } else {
            catalogue::NOT_FRONTAL_AT_START
        },
        format!(
            "share of the {} requested movements ({}) performed in order",
            challenge.len(),
            challenge
                .iter()
                .map(|c| match c {
                    Challenge::TurnLeft => "turn left",
                    Challenge::TurnRight => "turn right",
                    Challenge::Nod => "nod",
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
    checks.push(sequence_check(frames));
    Judgement { checks, peaks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOutcome;

    fn frame(yaw: f64, pitch: f64) -> FrameObservation {
        FrameObservation {
            faces: 1,
            pose: Some(Pose {
                yaw,
                pitch,
                roll: 0.0,
            }),
            landmarks: None,
            size: (640, 480),
            digest: (yaw.to_bits() ^ pitch.to_bits().rotate_left(7)),
        }
    }

    #[test]
    fn the_depth_check_holds_the_median_residual_of_the_movements() {
        let flat = depth_check(vec![0.004, 0.01]);
        assert_eq!(flat.outcome, CheckOutcome::Failed);
        assert_eq!(flat.reason_code, catalogue::FLAT);
        assert!(flat.critical);
        let head = depth_check(vec![0.004, 0.2, 0.3]);
        assert_eq!(head.outcome, CheckOutcome::Passed);
        assert_eq!(head.score, Some(0.2));
        assert_eq!(depth_check(Vec::new()).outcome, CheckOutcome::Unavailable);
    }

    #[test]
    fn a_sequence_is_one_recording_of_one_size_without_repeats() {
        let frames = [frame(0.0, 0.5), frame(0.2, 0.5), frame(0.0, 0.51)];
        assert_eq!(sequence_check(&frames).outcome, CheckOutcome::Passed);
        let mut repeated = frames;
        repeated[2].digest = repeated[0].digest;
        let c = sequence_check(&repeated);
        assert_eq!(
            (c.outcome, c.reason_code.as_str()),
            (CheckOutcome::Failed, catalogue::REPEATED_FRAME)
        );
        let mut mixed = frames;
        mixed[1].size = (320, 240);
        assert_eq!(sequence_check(&mixed).reason_code, catalogue::MIXED_SIZES);
        assert_ne!(pixel_digest(2, 1, &[0; 6]), pixel_digest(1, 2, &[0; 6]));
    }

    fn outcome(j: &Judgement, id: &str) -> CheckOutcome {
        j.checks.iter().find(|c| c.check == id).unwrap().outcome
    }

    #[test]
    fn challenges_are_keyed_by_the_secret_and_never_repeat_back_to_back() {
        let a = challenges(b"secret-one", "s1", "liveness", 5);
        assert_eq!(a.len(), 5);
        assert_eq!(a, challenges(b"secret-one", "s1", "liveness", 5));
        assert!(a.windows(2).all(|w| w[0] != w[1]), "{a:?}");
        let differ = (0..20)
            .filter(|i| {
                challenges(b"secret-one", &format!("s{i}"), "liveness", 3)
                    != challenges(b"secret-two", &format!("s{i}"), "liveness", 3)
            })
            .count();
        assert!(
            differ >= 15,
            "the secret changes the challenge: {differ}/20"
        );
    }

    #[test]
    fn movements_in_the_requested_order_pass() {
        let frames = [
            frame(0.0, 0.45),
            frame(0.1, 0.45),
            frame(0.3, 0.45),
            frame(0.0, 0.45),
            frame(0.0, 0.50),
            frame(0.0, 0.38),
        ];
        let j = judge(&[Challenge::TurnLeft, Challenge::Nod], &frames);
        assert_eq!(
            outcome(&j, "liveness.active.challenges"),
            CheckOutcome::Passed
        );
        assert_eq!(j.peaks, vec![2, 5]);
        // The same frames do not answer another order.
        let j = judge(&[Challenge::Nod, Challenge::TurnRight], &frames);
        assert_eq!(
            outcome(&j, "liveness.active.challenges"),
            CheckOutcome::Failed
        );
    }

    #[test]
    fn a_still_face_a_turned_start_and_extra_faces_fail() {
        let still = [frame(0.01, 0.45), frame(-0.02, 0.46), frame(0.03, 0.44)];
        let j = judge(&[Challenge::TurnRight], &still);
        assert_eq!(
            outcome(&j, "liveness.active.challenges"),
            CheckOutcome::Failed
        );
        let turned = [frame(0.4, 0.45), frame(0.0, 0.45), frame(0.4, 0.45)];
        let j = judge(&[Challenge::TurnLeft], &turned);
        assert_eq!(
            j.checks[2].reason_code,
            "liveness.active.not_frontal_at_start"
        );
        let mut crowd = [frame(0.0, 0.45), frame(-0.3, 0.45), frame(0.0, 0.45)];
        crowd[1].faces = 2;
        let j = judge(&[Challenge::TurnRight], &crowd);
        assert_eq!(
            outcome(&j, "liveness.active.face_count"),
            CheckOutcome::Failed
        );
        assert_eq!(
            outcome(&j, "liveness.active.challenges"),
            CheckOutcome::Failed
        );
        let j = judge(&[Challenge::Nod], &[]);
        assert_eq!(outcome(&j, "liveness.active.frames"), CheckOutcome::Failed);
    }
}
