package dev.autopilot.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A handle on {@link DatabaseWatch}'s reserved connection: every call goes to the real
 * connection except {@code close()}, which leaves it open, rolls back what a caller left
 * uncommitted, and releases the lock for the next caller.
 */
final class ReservedConnection {
  private ReservedConnection() {}

  static Connection wrap(Connection real, ReentrantLock lock) {
    AtomicBoolean released = new AtomicBoolean();
    return (Connection) Proxy.newProxyInstance(ReservedConnection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              if (released.compareAndSet(false, true)) {
                try {
                  if (!real.isClosed() && !real.getAutoCommit()) {
                    real.rollback();
                    real.setAutoCommit(true);
                  }
                } catch (java.sql.SQLException ignored) {
                  // a broken connection: the watch replaces it at its next probe
                } finally {
                  lock.unlock();
                }
              }
              return null;
            case "isClosed":
              return released.get() || real.isClosed();
            case "unwrap":
            case "isWrapperFor":
              break;
            case "equals":
              return proxy == args[0];
            case "hashCode":
              return System.identityHashCode(proxy);
            case "toString":
              return "reserved(" + real + ")";
            default:
              if (released.get()) {
                throw new java.sql.SQLException("connection handle already closed", "08003");
              }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
