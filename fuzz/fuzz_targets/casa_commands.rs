//! The casa_commands.log parser and the tclean lookup over arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let log = almapkg::text::casa_commands::parse(&text);
    let _ = log.tclean_for_image("member.uid___A001_X1_X2.Target_sci.spw25.cube.I.pbcor.fits");
});
