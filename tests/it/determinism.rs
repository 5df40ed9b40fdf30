//! The same input gives the same bytes, whatever the number of threads.

use crate::harness::{SiteTest, article, snapshot_tree};

#[test]
fn builds_are_byte_identical_across_runs_and_jobs() {
    let site = SiteTest::fixture("minimal");
    for i in 0..60 {
        let tags = ["روسيا", "الصين", "الاقتصاد", "الاقتِصاد", "مصر"];
        let extra = format!(
            "tags: [{}, {}]\nauthor: كاتب {}\n",
            tags[i % 5],
            tags[(i * 7) % 5],
            i % 4
        );
        site.write(
            &format!("content/2021/n{i}.md"),
            &article(
                &format!("خبر رقم {i}"),
                &format!("2021-0{}-1{}T10:00:00+03:00", 1 + i % 9, i % 10),
                &extra,
            ),
        );
    }
    let mut outputs = Vec::new();
    for jobs in ["1", "4", "4", "2"] {
        site.run(&["build", "--jobs", jobs]).expect_success();
        outputs.push(snapshot_tree(&site.public()));
    }
    assert!(outputs[0].len() > 60);
    for (i, out) in outputs.iter().enumerate().skip(1) {
        assert!(out == &outputs[0], "build {i} differs from the first");
    }
}
