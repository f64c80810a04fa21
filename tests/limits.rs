//! Input files beyond the size limit are refused before they are read.

#[test]
fn a_scenario_file_over_16_mib_is_refused_with_its_size() {
    let path = std::env::temp_dir().join(format!("som-huge-{}.json", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    // A sparse file: no 16 MiB written to disk.
    file.set_len(som::MAX_INPUT_BYTES + 1).unwrap();
    let err = som::Scenario::from_file(&path).unwrap_err();
    std::fs::remove_file(&path).ok();
    let p = &err.problems()[0];
    assert_eq!(p.path, "$");
    assert!(p.file.ends_with(".json"));
    assert_eq!(p.found, format!("{} bytes", som::MAX_INPUT_BYTES + 1));
}
