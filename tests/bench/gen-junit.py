#!/usr/bin/env python3
"""gen-junit.py OUT MB - write a JUnit XML file of about MB megabytes:
nested suites, passing, failing (with stack text), erroring, skipped and
flaky (Surefire rerun) testcases, plus system-out. Deterministic."""
import sys

out, mb = sys.argv[1], float(sys.argv[2])
target = int(mb * 1024 * 1024)
stack = "".join("    at com.example.pay.Retry.call%d(Retry.java:%d)\n" % (k, 80 + k) for k in range(12))
with open(out, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n')
    n = 0
    s = 0
    while f.tell() < target:
        s += 1
        f.write('  <testsuite name="suite%d" tests="200" failures="4" errors="1" skipped="5" time="12.5">\n' % s)
        for i in range(200):
            n += 1
            cls = "com.example.pkg%d.Class%d" % (s % 50, i % 17)
            head = '    <testcase name="test_%d_%d[param-%d]" classname="%s" time="0.%03d" file="src/t%d.java" line="%d"' % (
                s, i, i % 7, cls, i, i % 30, 10 + i)
            if i % 50 == 1:
                f.write(head + '>\n      <failure message="expected &lt;%d&gt; but was &lt;%d&gt;" type="AssertionError">'
                        'java.lang.AssertionError: expected %d\n%s</failure>\n    </testcase>\n' % (i, i + 1, i, stack))
            elif i % 200 == 3:
                f.write(head + '>\n      <error message="NPE" type="NullPointerException"><![CDATA[%s]]></error>\n    </testcase>\n' % stack)
            elif i % 40 == 5:
                f.write(head + '>\n      <skipped message="not on CI"/>\n    </testcase>\n')
            elif i % 100 == 7:
                f.write(head + '>\n      <flakyFailure message="timeout">%s</flakyFailure>\n'
                        '      <system-out>retrying...\n</system-out>\n    </testcase>\n' % stack)
            else:
                f.write(head + '>\n      <system-out>log line for %d &amp; more output text here\n</system-out>\n    </testcase>\n' % n)
        f.write('  </testsuite>\n')
    f.write('</testsuites>\n')
print(n)
