//! Head pose from YuNet's five landmarks, as unitless proxies: no 3D model is fitted, because the
//! active-liveness challenges only need the direction and size of a movement relative to the same
//! person's own frontal frames, and these ratios are stable under scale and in-plane rotation.

use serde::{Deserialize, Serialize};

use super::geometry::Landmarks;

/// Pose proxies of one face.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pose {
    /// The nose tip's offset from the midpoint of the eyes along the eye line, in eye distances.
    /// About 0 frontal; positive when the nose moves towards the image's right, which is the
    /// subject turning to their own left in an unmirrored camera image.
    pub yaw: f64,
    /// Where the nose tip sits between the eye line (0) and the mouth line (1), measured across the
    /// eye line. About 0.58 for a level head with YuNet's landmarks (the shared photos' median);
    /// larger when the head tips down, smaller when it tips up.
    pub pitch: f64,
    /// The eye line's angle in degrees (in-plane tilt).
    pub roll: f64,
}

/// The pose of a face, or `None` when its landmarks are degenerate (eyes on one point).
pub fn estimate(landmarks: &Landmarks) -> Option<Pose> {
    let p = landmarks.map(|q| [f64::from(q[0]), f64::from(q[1])]);
    let [left_eye, right_eye, nose, mouth_left, mouth_right] = p;
    let eye_mid = mid(left_eye, right_eye);
    let mouth_mid = mid(mouth_left, mouth_right);
    let axis = [right_eye[0] - left_eye[0], right_eye[1] - left_eye[1]];
    let eye_distance = axis[0].hypot(axis[1]);
    if eye_distance < 1e-6 {
        return None;
    }
    // Unit vectors along the eye line and across it (pointing down the face).
    let along = [axis[0] / eye_distance, axis[1] / eye_distance];
    let across = [-along[1], along[0]];
    let dot = |v: [f64; 2], u: [f64; 2]| v[0] * u[0] + v[1] * u[1];
    let nose_rel = [nose[0] - eye_mid[0], nose[1] - eye_mid[1]];
    let mouth_rel = [mouth_mid[0] - eye_mid[0], mouth_mid[1] - eye_mid[1]];
    let face_height = dot(mouth_rel, across);
    if face_height.abs() < 1e-6 {
        return None;
    }
    Some(Pose {
        yaw: dot(nose_rel, along) / eye_distance,
        pitch: dot(nose_rel, across) / face_height,
        roll: axis[1].atan2(axis[0]).to_degrees(),
    })
}

fn mid(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRONTAL: Landmarks = [
        [40.0, 50.0],
        [80.0, 50.0],
        [60.0, 70.0],
        [45.0, 95.0],
        [75.0, 95.0],
    ];

    #[test]
    fn a_frontal_face_is_centred() {
        let pose = estimate(&FRONTAL).unwrap();
        assert!(pose.yaw.abs() < 1e-9 && pose.roll.abs() < 1e-9);
        assert!((pose.pitch - 20.0 / 45.0).abs() < 1e-9);
    }

    #[test]
    fn the_proxies_ignore_scale_and_in_plane_rotation() {
        let mut turned = FRONTAL;
        turned[2][0] += 10.0; // nose towards the image's right
        let base = estimate(&turned).unwrap();
        let (s, c) = 30f64.to_radians().sin_cos();
        let moved = turned.map(|[x, y]| {
            let (x, y) = (f64::from(x) * 2.5, f64::from(y) * 2.5);
            [(c * x - s * y + 7.0) as f32, (s * x + c * y - 3.0) as f32]
        });
        let pose = estimate(&moved).unwrap();
        assert!((pose.yaw - base.yaw).abs() < 1e-5 && (pose.pitch - base.pitch).abs() < 1e-5);
        assert!((pose.yaw - 0.25).abs() < 1e-6);
        assert!((pose.roll - 30.0).abs() < 1e-3);
    }

    #[test]
    fn degenerate_landmarks_have_no_pose() {
        assert!(estimate(&[[1.0, 1.0]; 5]).is_none());
    }
}
