//! Byte-string operations: fill, len, cnt, cat, find, extr, inj, join,
//! splt, ins, del, rev. Offsets and lengths come from a16, bytes from a8.

mod common;

use avm_alu::isa::Instr;
use avm_alu::registers::S_MAX_LEN;
use avm_alu::Registers;
use common::*;

/// Runs `instr` after `setup`; st0 starts true.
fn go(instr: Instr, setup: impl FnOnce(&mut Registers)) -> Registers {
    one(instr, setup)
}

fn fill_instr() -> Instr {
    ins("fill", None, &[s(0), a(16, 0), a(16, 1), a(8, 0)])
}

fn fill(dst: Option<&[u8]>, off: u64, len: u64, byte: u64) -> Registers {
    go(fill_instr(), |r| {
        if let Some(d) = dst {
            set_s(r, 0, d);
        }
        set_a(r, 16, 0, off);
        set_a(r, 16, 1, len);
        set_a(r, 8, 0, byte);
    })
}

#[test]
fn fill_overwrites_and_grows() {
    let regs = fill(Some(b"abcdef"), 1, 2, b'x'.into());
    assert_eq!(
        (get_s(&regs, 0), regs.st0),
        (Some(b"axxdef".to_vec()), true)
    );
    let regs = fill(Some(b"abc"), 2, 3, b'x'.into());
    assert_eq!(get_s(&regs, 0), Some(b"abxxx".to_vec()));
    // At the very end.
    let regs = fill(Some(b"abc"), 3, 2, b'x'.into());
    assert_eq!(get_s(&regs, 0), Some(b"abcxx".to_vec()));
    // Zero length changes nothing.
    let regs = fill(Some(b"abc"), 3, 0, b'x'.into());
    assert_eq!((get_s(&regs, 0), regs.st0), (Some(b"abc".to_vec()), true));
    // Undefined counts as empty.
    let regs = fill(None, 0, 4, 0);
    assert_eq!((get_s(&regs, 0), regs.st0), (Some(vec![0; 4]), true));
    // Up to the limit exactly.
    let regs = fill(None, 0, S_MAX_LEN as u64, 7);
    assert_eq!(
        (get_s(&regs, 0).map(|v| v.len()), regs.st0),
        (Some(S_MAX_LEN), true)
    );
}

#[test]
fn fill_out_of_range_is_undefined_and_clears_st0() {
    // Offset past the end (a gap would be left).
    let regs = fill(Some(b"abc"), 4, 1, 0);
    assert_eq!((get_s(&regs, 0), regs.st0), (None, false));
    let regs = fill(None, 1, 1, 0);
    assert_eq!((get_s(&regs, 0), regs.st0), (None, false));
    // Over 65535 bytes.
    let regs = fill(Some(b"abc"), 3, 65533, 0);
    assert_eq!((get_s(&regs, 0), regs.st0), (None, false));
    let regs = fill(Some(b"abc"), 0, 65535, 0);
    assert!(regs.st0, "65535 bytes is allowed");
}

#[test]
fn fill_with_undefined_inputs_is_undefined_and_leaves_st0() {
    for missing in 0..3 {
        let regs = go(fill_instr(), |r| {
            set_s(r, 0, b"abc");
            if missing != 0 {
                set_a(r, 16, 0, 0);
            }
            if missing != 1 {
                set_a(r, 16, 1, 1);
            }
            if missing != 2 {
                set_a(r, 8, 0, 1);
            }
        });
        assert_eq!(
            (get_s(&regs, 0), regs.st0),
            (None, true),
            "missing {missing}"
        );
    }
}

#[test]
fn len_and_cnt() {
    let regs = go(ins("len", None, &[a(16, 0), s(3)]), |r| {
        set_s(r, 3, b"hello")
    });
    assert_eq!(get_a(&regs, 16, 0), Some(5));
    let regs = go(ins("len", None, &[a(16, 0), s(3)]), |r| {
        set_s(r, 3, &vec![0; S_MAX_LEN])
    });
    assert_eq!(get_a(&regs, 16, 0), Some(65535));
    let regs = go(ins("len", None, &[a(16, 0), s(3)]), |r| set_a(r, 16, 0, 1));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, true));

    let cnt = ins("cnt", None, &[a(16, 0), s(1), a(8, 2)]);
    let regs = go(cnt, |r| {
        set_s(r, 1, b"banana");
        set_a(r, 8, 2, b'a'.into());
    });
    assert_eq!(get_a(&regs, 16, 0), Some(3));
    let regs = go(cnt, |r| {
        set_s(r, 1, &vec![9; S_MAX_LEN]);
        set_a(r, 8, 2, 9);
    });
    assert_eq!(get_a(&regs, 16, 0), Some(65535));
    let regs = go(cnt, |r| set_s(r, 1, b"banana"));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, true));
    let regs = go(cnt, |r| set_a(r, 8, 2, 1));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, true));
}

#[test]
fn cat_and_join() {
    let cat = ins("cat", None, &[s(2), s(0), s(1)]);
    let regs = go(cat, |r| {
        set_s(r, 0, b"foo");
        set_s(r, 1, b"bar");
    });
    assert_eq!(
        (get_s(&regs, 2), regs.st0),
        (Some(b"foobar".to_vec()), true)
    );
    let regs = go(cat, |r| {
        set_s(r, 0, &vec![1; 40_000]);
        set_s(r, 1, &vec![2; 25_535]);
    });
    assert_eq!(
        (get_s(&regs, 2).map(|v| v.len()), regs.st0),
        (Some(65535), true)
    );
    let regs = go(cat, |r| {
        set_s(r, 0, &vec![1; 40_000]);
        set_s(r, 1, &vec![2; 25_536]);
        set_s(r, 2, b"old");
    });
    assert_eq!((get_s(&regs, 2), regs.st0), (None, false));
    let regs = go(cat, |r| set_s(r, 0, b"foo"));
    assert_eq!((get_s(&regs, 2), regs.st0), (None, true));
    // Aliasing: s0 := s0 ++ s0.
    let regs = go(ins("cat", None, &[s(0), s(0), s(0)]), |r| {
        set_s(r, 0, b"ab")
    });
    assert_eq!(get_s(&regs, 0), Some(b"abab".to_vec()));

    let join = ins("join", None, &[s(3), s(0), s(1), s(2)]);
    let regs = go(join, |r| {
        set_s(r, 0, b"a");
        set_s(r, 1, b"b");
        set_s(r, 2, b", ");
    });
    assert_eq!((get_s(&regs, 3), regs.st0), (Some(b"a, b".to_vec()), true));
    let regs = go(join, |r| {
        set_s(r, 0, &vec![0; 30_000]);
        set_s(r, 1, &vec![0; 30_000]);
        set_s(r, 2, &vec![0; 5_536]);
    });
    assert_eq!((get_s(&regs, 3), regs.st0), (None, false));
    let regs = go(join, |r| {
        set_s(r, 0, b"a");
        set_s(r, 1, b"b");
    });
    assert_eq!((get_s(&regs, 3), regs.st0), (None, true));
}

fn find(hay: Option<&[u8]>, needle: Option<&[u8]>) -> Registers {
    go(ins("find", None, &[a(16, 0), s(0), s(1)]), |r| {
        set_a(r, 16, 0, 77);
        if let Some(h) = hay {
            set_s(r, 0, h);
        }
        if let Some(n) = needle {
            set_s(r, 1, n);
        }
    })
}

#[test]
fn find_the_first_occurrence() {
    let regs = find(Some(b"abcabc"), Some(b"ca"));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (Some(2), true));
    let regs = find(Some(b"abcabc"), Some(b"abc"));
    assert_eq!(get_a(&regs, 16, 0), Some(0));
    let regs = find(Some(b"abc"), Some(b""));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (Some(0), true));
    let regs = find(Some(b""), Some(b""));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (Some(0), true));
    let mut big = vec![0u8; S_MAX_LEN];
    big[S_MAX_LEN - 1] = 1;
    let regs = find(Some(&big), Some(&[1]));
    assert_eq!(get_a(&regs, 16, 0), Some(65534));
}

#[test]
fn find_not_found_is_undefined_and_clears_st0() {
    let regs = find(Some(b"abc"), Some(b"x"));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, false));
    let regs = find(Some(b"ab"), Some(b"abc"));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, false));
    let regs = find(Some(b""), Some(b"a"));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, false));
    // Undefined inputs: undefined, st0 unchanged.
    let regs = find(None, Some(b"a"));
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, true));
    let regs = find(Some(b"a"), None);
    assert_eq!((get_a(&regs, 16, 0), regs.st0), (None, true));
}

fn extr(src: &[u8], off: u64, len: u64) -> Registers {
    go(ins("extr", None, &[s(1), s(0), a(16, 0), a(16, 1)]), |r| {
        set_s(r, 0, src);
        set_s(r, 1, b"old");
        set_a(r, 16, 0, off);
        set_a(r, 16, 1, len);
    })
}

#[test]
fn extr_takes_a_range() {
    let regs = extr(b"hello world", 6, 5);
    assert_eq!((get_s(&regs, 1), regs.st0), (Some(b"world".to_vec()), true));
    let regs = extr(b"hello", 5, 0);
    assert_eq!((get_s(&regs, 1), regs.st0), (Some(vec![]), true));
    let regs = extr(b"hello", 0, 5);
    assert_eq!(get_s(&regs, 1), Some(b"hello".to_vec()));
    for (off, len) in [(6, 0), (5, 1), (0, 6), (65535, 65535), (1, 65535)] {
        let regs = extr(b"hello", off, len);
        assert_eq!((get_s(&regs, 1), regs.st0), (None, false), "{off} {len}");
    }
    let regs = go(ins("extr", None, &[s(1), s(0), a(16, 0), a(16, 1)]), |r| {
        set_s(r, 0, b"hello");
        set_a(r, 16, 0, 0);
    });
    assert_eq!((get_s(&regs, 1), regs.st0), (None, true));
}

fn at(m: &str, dst: Option<&[u8]>, src: Option<&[u8]>, off: Option<u64>) -> Registers {
    go(ins(m, None, &[s(0), s(1), a(16, 0)]), |r| {
        if let Some(d) = dst {
            set_s(r, 0, d);
        }
        if let Some(x) = src {
            set_s(r, 1, x);
        }
        if let Some(o) = off {
            set_a(r, 16, 0, o);
        }
    })
}

#[test]
fn inj_overwrites_and_grows() {
    let regs = at("inj", Some(b"abcdef"), Some(b"XY"), Some(1));
    assert_eq!(
        (get_s(&regs, 0), regs.st0),
        (Some(b"aXYdef".to_vec()), true)
    );
    let regs = at("inj", Some(b"abc"), Some(b"XYZ"), Some(2));
    assert_eq!(get_s(&regs, 0), Some(b"abXYZ".to_vec()));
    let regs = at("inj", Some(b"abc"), Some(b"XY"), Some(3));
    assert_eq!(get_s(&regs, 0), Some(b"abcXY".to_vec()));
    let regs = at("inj", Some(b"abc"), Some(b""), Some(3));
    assert_eq!((get_s(&regs, 0), regs.st0), (Some(b"abc".to_vec()), true));
    // Out of range: offset past the end, or over 65535 bytes.
    let regs = at("inj", Some(b"abc"), Some(b"X"), Some(4));
    assert_eq!((get_s(&regs, 0), regs.st0), (None, false));
    let big = vec![0; 65535];
    let regs = at("inj", Some(b"abc"), Some(&big), Some(1));
    assert_eq!((get_s(&regs, 0), regs.st0), (None, false));
    let regs = at("inj", Some(b"abc"), Some(&big), Some(0));
    assert_eq!(
        (get_s(&regs, 0).map(|v| v.len()), regs.st0),
        (Some(65535), true)
    );
    // Undefined inputs.
    for (d, x, o) in [
        (None, Some(&b"X"[..]), Some(0)),
        (Some(&b"a"[..]), None, Some(0)),
        (Some(&b"a"[..]), Some(&b"X"[..]), None),
    ] {
        let regs = at("inj", d, x, o);
        assert_eq!((get_s(&regs, 0), regs.st0), (None, true));
    }
}

#[test]
fn ins_inserts() {
    let regs = at("ins", Some(b"abc"), Some(b"XY"), Some(1));
    assert_eq!((get_s(&regs, 0), regs.st0), (Some(b"aXYbc".to_vec()), true));
    let regs = at("ins", Some(b"abc"), Some(b"XY"), Some(0));
    assert_eq!(get_s(&regs, 0), Some(b"XYabc".to_vec()));
    let regs = at("ins", Some(b"abc"), Some(b"XY"), Some(3));
    assert_eq!(get_s(&regs, 0), Some(b"abcXY".to_vec()));
    let regs = at("ins", Some(b"abc"), Some(b"XY"), Some(4));
    assert_eq!((get_s(&regs, 0), regs.st0), (None, false));
    let regs = at("ins", Some(b"abc"), Some(&vec![0; 65533]), Some(3));
    assert_eq!((get_s(&regs, 0), regs.st0), (None, false));
    let regs = at("ins", Some(b"abc"), Some(&vec![0; 65532]), Some(3));
    assert_eq!(
        (get_s(&regs, 0).map(|v| v.len()), regs.st0),
        (Some(65535), true)
    );
    let regs = at("ins", None, Some(b"X"), Some(0));
    assert_eq!((get_s(&regs, 0), regs.st0), (None, true));
}

fn splt(src: Option<&[u8]>, off: Option<u64>) -> Registers {
    go(ins("splt", None, &[s(1), s(2), s(0), a(16, 0)]), |r| {
        set_s(r, 1, b"old head");
        set_s(r, 2, b"old tail");
        if let Some(x) = src {
            set_s(r, 0, x);
        }
        if let Some(o) = off {
            set_a(r, 16, 0, o);
        }
    })
}

#[test]
fn splt_splits_at_an_offset() {
    let regs = splt(Some(b"hello"), Some(2));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 2), regs.st0),
        (Some(b"he".to_vec()), Some(b"llo".to_vec()), true)
    );
    assert_eq!(get_s(&regs, 0), Some(b"hello".to_vec()), "the source stays");
    let regs = splt(Some(b"hello"), Some(0));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 2)),
        (Some(vec![]), Some(b"hello".to_vec()))
    );
    let regs = splt(Some(b"hello"), Some(5));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 2)),
        (Some(b"hello".to_vec()), Some(vec![]))
    );
    let regs = splt(Some(b"hello"), Some(6));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 2), regs.st0),
        (None, None, false)
    );
    let regs = splt(None, Some(0));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 2), regs.st0),
        (None, None, true)
    );
    let regs = splt(Some(b"hello"), None);
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 2), regs.st0),
        (None, None, true)
    );
    // The source may be one of the destinations.
    let regs = go(ins("splt", None, &[s(0), s(1), s(0), a(16, 0)]), |r| {
        set_s(r, 0, b"hello");
        set_a(r, 16, 0, 1);
    });
    assert_eq!(
        (get_s(&regs, 0), get_s(&regs, 1)),
        (Some(b"h".to_vec()), Some(b"ello".to_vec()))
    );
}

fn del(dst: &[u8], off: u64, len: u64) -> Registers {
    go(ins("del", None, &[s(0), a(16, 0), a(16, 1)]), |r| {
        set_s(r, 0, dst);
        set_a(r, 16, 0, off);
        set_a(r, 16, 1, len);
    })
}

#[test]
fn del_removes_a_range() {
    let regs = del(b"hello", 1, 3);
    assert_eq!((get_s(&regs, 0), regs.st0), (Some(b"ho".to_vec()), true));
    let regs = del(b"hello", 0, 5);
    assert_eq!(get_s(&regs, 0), Some(vec![]));
    let regs = del(b"hello", 5, 0);
    assert_eq!((get_s(&regs, 0), regs.st0), (Some(b"hello".to_vec()), true));
    for (off, len) in [(5, 1), (6, 0), (0, 6), (65535, 65535)] {
        let regs = del(b"hello", off, len);
        assert_eq!((get_s(&regs, 0), regs.st0), (None, false), "{off} {len}");
    }
    let regs = go(ins("del", None, &[s(0), a(16, 0), a(16, 1)]), |r| {
        set_a(r, 16, 0, 0);
        set_a(r, 16, 1, 0);
    });
    assert_eq!((get_s(&regs, 0), regs.st0), (None, true));
}

#[test]
fn rev_reverses_bytes() {
    let regs = go(ins("rev", None, &[s(1), s(0)]), |r| set_s(r, 0, b"abc"));
    assert_eq!(get_s(&regs, 1), Some(b"cba".to_vec()));
    let regs = go(ins("rev", None, &[s(0), s(0)]), |r| set_s(r, 0, b""));
    assert_eq!(get_s(&regs, 0), Some(vec![]));
    let regs = go(ins("rev", None, &[s(1), s(0)]), |r| set_s(r, 1, b"x"));
    assert_eq!((get_s(&regs, 1), regs.st0), (None, true));
}

#[test]
fn byte_string_failures_do_not_set_st0_back() {
    let code = [
        ins("extr", None, &[s(1), s(0), a(16, 0), a(16, 0)]), // fails: off 9 > len 3
        ins("cat", None, &[s(2), s(0), s(0)]),                // succeeds
        stop(),
    ];
    let (out, regs) = run(&code, &[], |r| {
        set_s(r, 0, b"abc");
        set_a(r, 16, 0, 9);
    });
    assert!(!out.st0);
    assert_eq!(get_s(&regs, 2), Some(b"abcabc".to_vec()));
}
