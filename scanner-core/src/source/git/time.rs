//! Commit metadata for findings: author, email, RFC 3339 date, subject.

use git2::Commit;

use crate::finding::CommitInfo;

pub(crate) fn commit_info(c: &Commit<'_>) -> CommitInfo {
    let author = c.author();
    let t = author.when();
    CommitInfo {
        id: c.id().to_string(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        date: rfc3339(t.seconds(), t.offset_minutes()),
        subject: String::from_utf8_lossy(c.summary_bytes().unwrap_or_default()).into_owned(),
    }
}

/// Formats a Unix time with a UTC offset (minutes) as RFC 3339, without a date crate.
pub(crate) fn rfc3339(secs: i64, offset_min: i32) -> String {
    let local = secs + offset_min as i64 * 60;
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let off = offset_min.abs();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        off / 60,
        off % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_dates() {
        assert_eq!(super::rfc3339(0, 0), "1970-01-01T00:00:00+00:00");
        assert_eq!(
            super::rfc3339(1_500_000_000, 120),
            "2017-07-14T04:40:00+02:00"
        );
        assert_eq!(
            super::rfc3339(951_782_400, -300),
            "2000-02-28T19:00:00-05:00"
        );
    }
}
