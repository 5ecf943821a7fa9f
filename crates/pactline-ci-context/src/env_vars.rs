//! Every environment variable this crate reads, in one place, each with a line saying what it holds.

// GitHub Actions (docs: "Store information in variables", default variables).
/// `"true"` on GitHub Actions runners (also set by Gitea/Forgejo runners).
pub const GITHUB_ACTIONS: &str = "GITHUB_ACTIONS";
/// Name of the event that triggered the workflow (`push`, `pull_request`, …).
pub const GITHUB_EVENT_NAME: &str = "GITHUB_EVENT_NAME";
/// Path of the file holding the full webhook event payload (JSON).
pub const GITHUB_EVENT_PATH: &str = "GITHUB_EVENT_PATH";
/// Commit that triggered the workflow; the test merge commit on `pull_request`.
pub const GITHUB_SHA: &str = "GITHUB_SHA";
/// Full ref: `refs/heads/x`, `refs/tags/v1`, `refs/pull/N/merge`.
pub const GITHUB_REF: &str = "GITHUB_REF";
/// Source branch of a pull request (`pull_request*` events only).
pub const GITHUB_HEAD_REF: &str = "GITHUB_HEAD_REF";
/// `owner/name` of the repository running the workflow.
pub const GITHUB_REPOSITORY: &str = "GITHUB_REPOSITORY";
/// `https://github.com`, or the GitHub Enterprise Server URL.
pub const GITHUB_SERVER_URL: &str = "GITHUB_SERVER_URL";
/// Unique number of the workflow run.
pub const GITHUB_RUN_ID: &str = "GITHUB_RUN_ID";
/// Attempt number of the run, starting at 1; grows on re-runs.
pub const GITHUB_RUN_ATTEMPT: &str = "GITHUB_RUN_ATTEMPT";

// GitLab CI (docs: predefined CI/CD variables).
/// `"true"` in GitLab CI jobs.
pub const GITLAB_CI: &str = "GITLAB_CI";
/// Commit being built; the merge commit in merged-results pipelines.
pub const CI_COMMIT_SHA: &str = "CI_COMMIT_SHA";
/// Branch name (absent in merge request and tag pipelines).
pub const CI_COMMIT_BRANCH: &str = "CI_COMMIT_BRANCH";
/// Branch or tag name the pipeline runs for.
pub const CI_COMMIT_REF_NAME: &str = "CI_COMMIT_REF_NAME";
/// Tag name, in tag pipelines only.
pub const CI_COMMIT_TAG: &str = "CI_COMMIT_TAG";
/// Merge request number within the project.
pub const CI_MERGE_REQUEST_IID: &str = "CI_MERGE_REQUEST_IID";
/// Source branch of the merge request.
pub const CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: &str = "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME";
/// Head of the merge request's source branch (merged-results pipelines only).
pub const CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: &str = "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA";
/// URL of the pipeline.
pub const CI_PIPELINE_URL: &str = "CI_PIPELINE_URL";
/// URL of the job.
pub const CI_JOB_URL: &str = "CI_JOB_URL";
/// Why the pipeline ran (`push`, `merge_request_event`, `schedule`, …).
pub const CI_PIPELINE_SOURCE: &str = "CI_PIPELINE_SOURCE";
/// `group/project` path of the project.
pub const CI_PROJECT_PATH: &str = "CI_PROJECT_PATH";

// Jenkins (core, git plugin, multibranch and GitHub pull request builder plugins).
/// Jenkins server URL; set in every build.
pub const JENKINS_URL: &str = "JENKINS_URL";
/// Commit checked out by the git plugin.
pub const GIT_COMMIT: &str = "GIT_COMMIT";
/// Remote branch checked out by the git plugin, e.g. `origin/main`.
pub const GIT_BRANCH: &str = "GIT_BRANCH";
/// Local branch name, when the git plugin checks out to a local branch.
pub const GIT_LOCAL_BRANCH: &str = "GIT_LOCAL_BRANCH";
/// Remote URL of the repository (git plugin).
pub const GIT_URL: &str = "GIT_URL";
/// Branch of a multibranch job (`PR-12` for change requests).
pub const BRANCH_NAME: &str = "BRANCH_NAME";
/// Tag of a multibranch tag build.
pub const TAG_NAME: &str = "TAG_NAME";
/// Change request (pull request) number in a multibranch job.
pub const CHANGE_ID: &str = "CHANGE_ID";
/// Source branch of the change request.
pub const CHANGE_BRANCH: &str = "CHANGE_BRANCH";
/// Head commit of the pull request (GitHub pull request builder plugin).
pub const GHPRB_ACTUAL_COMMIT: &str = "ghprbActualCommit";
/// Source branch of the pull request (GitHub pull request builder plugin).
pub const GHPRB_SOURCE_BRANCH: &str = "ghprbSourceBranch";
/// Pull request number (GitHub pull request builder plugin).
pub const GHPRB_PULL_ID: &str = "ghprbPullId";
/// URL of the build.
pub const BUILD_URL: &str = "BUILD_URL";

// CircleCI (docs: project values and variables).
/// `"true"` in CircleCI jobs.
pub const CIRCLECI: &str = "CIRCLECI";
/// Commit being built.
pub const CIRCLE_SHA1: &str = "CIRCLE_SHA1";
/// Branch being built.
pub const CIRCLE_BRANCH: &str = "CIRCLE_BRANCH";
/// Tag, for tag builds.
pub const CIRCLE_TAG: &str = "CIRCLE_TAG";
/// Pull request number (forked pull requests only).
pub const CIRCLE_PR_NUMBER: &str = "CIRCLE_PR_NUMBER";
/// Pull request URL, e.g. `https://github.com/o/r/pull/12`.
pub const CIRCLE_PULL_REQUEST: &str = "CIRCLE_PULL_REQUEST";
/// URL of the job.
pub const CIRCLE_BUILD_URL: &str = "CIRCLE_BUILD_URL";
/// Owner of the project's repository.
pub const CIRCLE_PROJECT_USERNAME: &str = "CIRCLE_PROJECT_USERNAME";
/// Name of the project's repository.
pub const CIRCLE_PROJECT_REPONAME: &str = "CIRCLE_PROJECT_REPONAME";

// Buildkite (docs: environment variables).
/// `"true"` in Buildkite jobs.
pub const BUILDKITE: &str = "BUILDKITE";
/// Commit being built; may be the literal `HEAD` for manual builds.
pub const BUILDKITE_COMMIT: &str = "BUILDKITE_COMMIT";
/// Branch being built (the tag name in tag builds).
pub const BUILDKITE_BRANCH: &str = "BUILDKITE_BRANCH";
/// Tag, for tag builds.
pub const BUILDKITE_TAG: &str = "BUILDKITE_TAG";
/// Pull request number, or `"false"`.
pub const BUILDKITE_PULL_REQUEST: &str = "BUILDKITE_PULL_REQUEST";
/// URL of the build.
pub const BUILDKITE_BUILD_URL: &str = "BUILDKITE_BUILD_URL";
/// Repository URL.
pub const BUILDKITE_REPO: &str = "BUILDKITE_REPO";
/// What created the build (`webhook`, `api`, `ui`, `schedule`, …).
pub const BUILDKITE_SOURCE: &str = "BUILDKITE_SOURCE";

// Azure Pipelines (docs: predefined variables).
/// `"True"` in Azure Pipelines jobs.
pub const TF_BUILD: &str = "TF_BUILD";
/// Commit being built; the merge commit in pull request builds.
pub const BUILD_SOURCEVERSION: &str = "BUILD_SOURCEVERSION";
/// Full ref: `refs/heads/x`, `refs/tags/v1`, `refs/pull/N/merge`.
pub const BUILD_SOURCEBRANCH: &str = "BUILD_SOURCEBRANCH";
/// Why the build ran (`IndividualCI`, `PullRequest`, `Manual`, …).
pub const BUILD_REASON: &str = "BUILD_REASON";
/// Numeric id of the build.
pub const BUILD_BUILDID: &str = "BUILD_BUILDID";
/// Name of the repository.
pub const BUILD_REPOSITORY_NAME: &str = "BUILD_REPOSITORY_NAME";
/// Organisation URL, e.g. `https://dev.azure.com/org/`.
pub const SYSTEM_COLLECTIONURI: &str = "SYSTEM_COLLECTIONURI";
/// Project name.
pub const SYSTEM_TEAMPROJECT: &str = "SYSTEM_TEAMPROJECT";
/// Head commit of the pull request.
pub const SYSTEM_PULLREQUEST_SOURCECOMMITID: &str = "SYSTEM_PULLREQUEST_SOURCECOMMITID";
/// Source branch of the pull request (`refs/heads/x` or `x`).
pub const SYSTEM_PULLREQUEST_SOURCEBRANCH: &str = "SYSTEM_PULLREQUEST_SOURCEBRANCH";
/// Pull request number (GitHub repositories).
pub const SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: &str = "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER";
/// Pull request id (Azure Repos; the number shown in the UI).
pub const SYSTEM_PULLREQUEST_PULLREQUESTID: &str = "SYSTEM_PULLREQUEST_PULLREQUESTID";

// Bitbucket Pipelines (docs: variables and secrets).
/// Build number; its presence means Bitbucket Pipelines.
pub const BITBUCKET_BUILD_NUMBER: &str = "BITBUCKET_BUILD_NUMBER";
/// Commit being built.
pub const BITBUCKET_COMMIT: &str = "BITBUCKET_COMMIT";
/// Branch being built (absent for tag builds).
pub const BITBUCKET_BRANCH: &str = "BITBUCKET_BRANCH";
/// Tag, for tag builds.
pub const BITBUCKET_TAG: &str = "BITBUCKET_TAG";
/// Pull request id, in pull request pipelines.
pub const BITBUCKET_PR_ID: &str = "BITBUCKET_PR_ID";
/// `workspace/repo` of the repository.
pub const BITBUCKET_REPO_FULL_NAME: &str = "BITBUCKET_REPO_FULL_NAME";

// Travis CI (docs: default environment variables).
/// `"true"` in Travis jobs.
pub const TRAVIS: &str = "TRAVIS";
/// Commit being built; the merge commit in pull request builds.
pub const TRAVIS_COMMIT: &str = "TRAVIS_COMMIT";
/// Branch (the target branch for pull requests, the tag for tag builds).
pub const TRAVIS_BRANCH: &str = "TRAVIS_BRANCH";
/// Tag, for tag builds.
pub const TRAVIS_TAG: &str = "TRAVIS_TAG";
/// Pull request number, or `"false"`.
pub const TRAVIS_PULL_REQUEST: &str = "TRAVIS_PULL_REQUEST";
/// Head commit of the pull request.
pub const TRAVIS_PULL_REQUEST_SHA: &str = "TRAVIS_PULL_REQUEST_SHA";
/// Source branch of the pull request.
pub const TRAVIS_PULL_REQUEST_BRANCH: &str = "TRAVIS_PULL_REQUEST_BRANCH";
/// URL of the build.
pub const TRAVIS_BUILD_WEB_URL: &str = "TRAVIS_BUILD_WEB_URL";
/// `owner/name` of the repository.
pub const TRAVIS_REPO_SLUG: &str = "TRAVIS_REPO_SLUG";
/// Why the build ran (`push`, `pull_request`, `api`, `cron`).
pub const TRAVIS_EVENT_TYPE: &str = "TRAVIS_EVENT_TYPE";
