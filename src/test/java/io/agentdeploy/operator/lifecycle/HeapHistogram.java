package io.agentdeploy.operator.lifecycle;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Live heap of this JVM from a class histogram ({@code jcmd GC.class_histogram}, through the
 * DiagnosticCommand MBean), which runs a full GC first: only reachable objects are counted.
 */
final class HeapHistogram {
  private HeapHistogram() {}

  static long liveBytes() {
    try {
      String table = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      for (String line : table.split("\n")) {
        if (line.startsWith("Total")) {
          String[] columns = line.trim().split("\\s+");
          return Long.parseLong(columns[columns.length - 1]);
        }
      }
      throw new IllegalStateException("no Total line in the class histogram");
    } catch (JMException e) {
      throw new IllegalStateException(e);
    }
  }
}
