//! The 4-connected regions of a mask, labelled once for the outline search and the glare measure.

/// Labels the 4-connected regions of `mask` (`w` x `h`, row-major): per pixel 0 outside every
/// region, otherwise its region's number counted from 1; and how many regions there are.
pub(crate) fn label(mask: &[bool], w: usize, h: usize) -> (Vec<u32>, u32) {
    let mut labels = vec![0u32; mask.len()];
    let mut count = 0u32;
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask.get(start).copied().unwrap_or(false) || labels.get(start) != Some(&0) {
            continue;
        }
        count += 1;
        if let Some(l) = labels.get_mut(start) {
            *l = count;
        }
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            let mut visit = |j: usize| {
                if mask.get(j).copied().unwrap_or(false)
                    && let Some(l) = labels.get_mut(j)
                    && *l == 0
                {
                    *l = count;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
    }
    (labels, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_touching_only_at_a_corner_are_two() {
        // 1 1 0
        // 0 0 1
        // 1 0 1
        let mask = [true, true, false, false, false, true, true, false, true];
        let (labels, count) = label(&mask, 3, 3);
        assert_eq!(count, 3);
        assert_eq!(labels, vec![1, 1, 0, 0, 0, 2, 3, 0, 2]);
    }
}
