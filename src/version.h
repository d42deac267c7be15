#define EGOV_VERSION "0.1.0"
