use super::columns::close_to;

#[test]
fn close_names_by_edit_distance_or_without_separators() {
    let known = [
        "jobcenter",
        "int",
        "int_svb",
        "int_lzb",
        "email",
        "bg",
        "elb",
    ];
    assert_eq!(close_to("int_svp", &known), Some("int_svb"));
    assert_eq!(close_to("int_sbv", &known), Some("int_svb"));
    assert_eq!(close_to("jobcentre", &known), Some("jobcenter"));
    assert_eq!(close_to("e-mail", &known), Some("email"));
    assert_eq!(close_to("E Mail", &known), Some("email"));
    assert_eq!(close_to("intlzb", &known), Some("int_lzb"));
    // Too far, or a short name that any two letters would reach.
    assert_eq!(close_to("bemerkung", &known), None);
    assert_eq!(close_to("id", &known), None);
    assert_eq!(close_to("integrationen", &known), None);
}
