//! Slugids derived from a seed: the same seed and label always give the same taskId.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A "nice" v4 slugid (22 characters, first bit clear) from SHA-256 of `seed`, NUL, `name`.
pub fn derive(seed: &str, name: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(seed.as_bytes());
    hasher.update([0]);
    hasher.update(name.as_bytes());
    let digest = hasher.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    b[0] &= 0x7f;
    base64url(&b)
}

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(22);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &x)| acc | u32::from(x) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A random seed, for runs without `--task-id-seed`.
pub fn random_seed() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_slugid(s: &str) -> bool {
        let b = s.as_bytes();
        s.len() == 22
            && b.iter().all(|c| ALPHABET.contains(c))
            && (b'Q'..=b'T').contains(&b[8])
            && b"CGKOSWaeimquy26-".contains(&b[10])
            && b"AQgw".contains(&b[21])
            && b[0] < b'g'
    }

    #[test]
    fn derived_ids_are_stable_nice_v4_slugids() {
        let a = derive("seed", "build-linux64-opt");
        assert_eq!(a, derive("seed", "build-linux64-opt"));
        assert_ne!(a, derive("seed", "build-linux64-debug"));
        assert_ne!(a, derive("other", "build-linux64-opt"));
        for i in 0..2000 {
            let id = derive("s", &i.to_string());
            assert!(is_slugid(&id), "{id}");
        }
    }
}
