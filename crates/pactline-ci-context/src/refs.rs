//! Small parsers for git refs and repository URLs shared by the GitHub and other-CI resolvers.

/// What a full git ref points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GitRef<'a> {
    Branch(&'a str),
    Tag(&'a str),
    /// `refs/pull/N/merge` or `refs/pull/N/head`.
    Pull(u64),
    Other,
}

/// Classify a full ref such as `refs/heads/main` or `refs/tags/v1.0.0`.
pub(crate) fn parse_ref(full: &str) -> GitRef<'_> {
    if let Some(branch) = full.strip_prefix("refs/heads/") {
        non_empty(branch).map_or(GitRef::Other, GitRef::Branch)
    } else if let Some(tag) = full.strip_prefix("refs/tags/") {
        non_empty(tag).map_or(GitRef::Other, GitRef::Tag)
    } else if let Some(rest) = full.strip_prefix("refs/pull/") {
        rest.split('/')
            .next()
            .and_then(|n| n.parse().ok())
            .map_or(GitRef::Other, GitRef::Pull)
    } else {
        GitRef::Other
    }
}

/// `refs/heads/x` → `x`; anything else unchanged.
pub(crate) fn strip_heads(name: &str) -> &str {
    name.strip_prefix("refs/heads/").unwrap_or(name)
}

/// Jenkins' git plugin reports remote branches: `origin/x` or `refs/remotes/origin/x` → `x`.
pub(crate) fn strip_remote(name: &str) -> &str {
    let name = name.strip_prefix("refs/remotes/").unwrap_or(name);
    let name = strip_heads(name);
    name.strip_prefix("origin/").unwrap_or(name)
}

/// True for a full hexadecimal commit SHA (40 for SHA-1, 64 for SHA-256).
pub(crate) fn looks_like_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `owner/name` from a clone URL: `https://host/owner/name.git` or `git@host:owner/name.git`.
pub(crate) fn slug_from_url(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    let mut parts = url.rsplit(['/', ':']);
    let name = parts.next().filter(|s| !s.is_empty())?;
    let owner = parts.next().filter(|s| !s.is_empty())?;
    Some(format!("{owner}/{name}"))
}

/// The trailing number of a pull request URL such as `https://github.com/o/r/pull/12`.
pub(crate) fn trailing_number(url: &str) -> Option<u64> {
    url.trim_end_matches('/').rsplit('/').next()?.parse().ok()
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_classified() {
        let rows = [
            ("refs/heads/main", GitRef::Branch("main")),
            ("refs/heads/feature/x", GitRef::Branch("feature/x")),
            ("refs/tags/v1.2.0", GitRef::Tag("v1.2.0")),
            ("refs/pull/42/merge", GitRef::Pull(42)),
            ("refs/pull/7/head", GitRef::Pull(7)),
            ("refs/heads/", GitRef::Other),
            ("main", GitRef::Other),
        ];
        for (input, want) in rows {
            assert_eq!(parse_ref(input), want, "{input}");
        }
    }

    #[test]
    fn jenkins_remote_branches_lose_their_remote() {
        assert_eq!(strip_remote("origin/main"), "main");
        assert_eq!(strip_remote("refs/remotes/origin/feat/a"), "feat/a");
        assert_eq!(strip_remote("main"), "main");
    }

    #[test]
    fn slugs_come_from_https_and_ssh_urls() {
        let rows = [
            ("https://github.com/acme/web.git", Some("acme/web")),
            ("git@github.com:acme/web.git", Some("acme/web")),
            ("https://gitlab.com/group/sub/proj", Some("sub/proj")),
            ("web", None),
        ];
        for (input, want) in rows {
            assert_eq!(slug_from_url(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn only_full_hex_strings_look_like_shas() {
        assert!(looks_like_sha("4f2a6c1e9b8d7f3a2c1b0e9d8c7b6a5f4e3d2c1b"));
        assert!(!looks_like_sha("main"));
        assert!(!looks_like_sha("4f2a6c1"));
    }
}
