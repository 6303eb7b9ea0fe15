package dev.autopilot.spring.boot;

import com.sun.net.httpserver.HttpHandler;
import dev.autopilot.Autopilot;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Mounts the Autopilot dashboard (module {@code autopilot-web}) at {@code autopilot.dashboard.path}
 * (default {@code /autopilot}) in the application's servlet container, behind the application's
 * own filters and Spring Security. It is mounted when Spring Security is on the class path (the
 * application's rules then decide who sees it) unless {@code autopilot.dashboard.enabled=false},
 * and without Spring Security only when {@code autopilot.dashboard.enabled=true} is set on
 * purpose. The dashboard signs nobody in itself here; its actions keep their own same-origin and
 * CSRF checks (exclude the path from Spring Security's CSRF filter, or set {@code
 * autopilot.dashboard.read-only=true}).
 *
 * <p>The handler is the bean named {@value #HANDLER_BEAN}: by default the dashboard of
 * {@code dev.autopilot.web.AutopilotWeb#handler()}; an application may define its own.
 */
@AutoConfiguration(after = AutopilotAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.http.HttpServlet")
@ConditionalOnBean(Autopilot.class)
@Conditional(AutopilotDashboardAutoConfiguration.SecuredOrAskedFor.class)
public class AutopilotDashboardAutoConfiguration {

  /** The name of the {@link HttpHandler} bean that is mounted. */
  public static final String HANDLER_BEAN = "autopilotDashboardHandler";
  /** The dashboard module's entry point, looked up by name so the starter does not need it. */
  static final String WEB_CLASS = "dev.autopilot.web.AutopilotWeb";

  /** Creates the auto-configuration; Spring calls this. */
  public AutopilotDashboardAutoConfiguration() {}

  /**
   * @param autopilot the application's Autopilot
   * @param env for {@code autopilot.dashboard.path}, {@code .read-only} and the context path
   * @return the dashboard of {@code autopilot-web} as a handler
   */
  @Bean(name = HANDLER_BEAN)
  @ConditionalOnMissingBean(name = HANDLER_BEAN)
  @ConditionalOnClass(name = WEB_CLASS)
  public HttpHandler autopilotDashboardHandler(Autopilot autopilot, Environment env) {
    String base = env.getProperty("server.servlet.context-path", "") + path(env);
    boolean readOnly = env.getProperty("autopilot.dashboard.read-only", Boolean.class, false);
    try {
      Class<?> web = ClassUtils.forName(WEB_CLASS, AutopilotDashboardAutoConfiguration.class.getClassLoader());
      Object w = web.getMethod("create", Autopilot.class).invoke(null, autopilot);
      w = web.getMethod("basePath", String.class).invoke(w, base);
      w = web.getMethod("readOnly", boolean.class).invoke(w, readOnly);
      return (HttpHandler) web.getMethod("handler").invoke(w);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("autopilot-web on the class path does not offer "
          + "create(Autopilot).basePath(String).readOnly(boolean).handler(): " + e, e);
    }
  }

  /**
   * @param handler the handler bean named {@value #HANDLER_BEAN}
   * @param env for {@code autopilot.dashboard.path}
   * @return the servlet mapping of the dashboard's path
   */
  @Bean
  @ConditionalOnBean(name = HANDLER_BEAN)
  public ServletRegistrationBean<HttpHandlerServlet> autopilotDashboard(@Qualifier(HANDLER_BEAN) HttpHandler handler,
      Environment env) {
    String path = path(env);
    ServletRegistrationBean<HttpHandlerServlet> r =
        new ServletRegistrationBean<>(new HttpHandlerServlet(handler), path, path + "/*");
    r.setName("autopilotDashboard");
    return r;
  }

  static String path(Environment env) {
    String p = env.getProperty("autopilot.dashboard.path", "/autopilot");
    if (!p.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")) {
      throw new dev.autopilot.ConfigurationException("autopilot.dashboard.path", p,
          "expected an absolute path like /autopilot");
    }
    return p;
  }

  /** Spring Security present (and not switched off), or the dashboard asked for explicitly. */
  static final class SecuredOrAskedFor extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String enabled = context.getEnvironment().getProperty("autopilot.dashboard.enabled");
      if ("false".equalsIgnoreCase(enabled)) {
        return ConditionOutcome.noMatch("autopilot.dashboard.enabled=false");
      }
      if ("true".equalsIgnoreCase(enabled)) {
        return ConditionOutcome.match("autopilot.dashboard.enabled=true");
      }
      boolean security = ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain",
          context.getClassLoader());
      return security ? ConditionOutcome.match("Spring Security present")
          : ConditionOutcome.noMatch("no Spring Security and autopilot.dashboard.enabled not true");
    }
  }
}
