// The SCORM data types the host tests hold values to, written from the specifications
// (SCORM 1.2 RTE 3.4.2 and 3.4.4; SCORM 2004 4th edition RTE 4.1 and 4.2.9), so that a
// value the LMS would reject fails a test even where a runtime does not check it.

export const SCORM12 = {
  CMITimespan: /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/,
  CMITime: /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/,
  CMIDecimal: /^-?\d+(\.\d+)?$/,
  score: (v) => /^\d+(\.\d+)?$/.test(v) && Number(v) >= 0 && Number(v) <= 100,
  lessonStatus: /^(passed|completed|failed|incomplete|browsed|not attempted)$/,
  exit: /^(time-out|suspend|logout|)$/,
  interactionType: /^(true-false|choice|fill-in|matching|performance|sequencing|likert|numeric)$/,
  result: /^(correct|wrong|unanticipated|neutral|-?\d+(\.\d+)?)$/,
  responses: {
    "true-false": /^[01tf]$/,
    choice: /^[0-9a-z](,[0-9a-z])*$/,
    likert: /^[0-9a-z]?$/,
    numeric: /^-?\d+(\.\d+)?$/,
  },
  identifier: /^[\x21-\x7e]{1,255}$/,
};

export const SCORM2004 = {
  timeinterval: /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/,
  time: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?(Z|[+-]\d{2}(:\d{2})?)?$/,
  real: /^-?\d+(\.\d{1,7})?$/,
  scaled: (v) => SCORM2004.real.test(v) && Number(v) >= -1 && Number(v) <= 1,
  completion: /^(completed|incomplete|not attempted|unknown)$/,
  success: /^(passed|failed|unknown)$/,
  exit: /^(time-out|suspend|logout|normal|)$/,
  interactionType: /^(true-false|choice|fill-in|long-fill-in|matching|performance|sequencing|likert|numeric|other)$/,
  result: /^(correct|incorrect|unanticipated|neutral|-?\d+(\.\d+)?)$/,
  responses: {
    "true-false": /^(true|false)$/,
    // Moodle's rule for choice ids, stricter than short_identifier_type
    choice: /^[\w.]{1,250}(\[,\][\w.]{1,250})*$/,
    likert: /^[\w.]{1,250}$/,
    numeric: /^-?\d+(\.\d+)?$/,
  },
  localized: /^\{lang=[a-z]{2,3}(-[A-Za-z]{2})?\}.{1,250}$/u,
};
