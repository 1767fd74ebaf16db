@echo off
rem piopiy: the Piopiy for Java runtime. Usage: piopiy [--plugins-dir DIR] <run|validate|plugins|version> ...
rem Needs Java 25 or newer: %JAVA_HOME%, else java on the PATH. PIOPIY_JAVA_OPTS adds JVM options.
setlocal
set "PIOPIY_HOME=%~dp0.."
for %%i in ("%PIOPIY_HOME%") do set "PIOPIY_HOME=%%~fi"

set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo piopiy: no Java found. Install a JDK 25 ^(for example Temurin 25^) and set JAVA_HOME to it. 1>&2
  exit /b 1
)
set "MAJOR="
for /f "tokens=3" %%v in ('"%JAVA%" -version 2^>^&1 ^| findstr /i "version"') do set "MAJOR=%%~v"
for /f "delims=.-+" %%m in ("%MAJOR%") do set "MAJOR=%%m"
if "%MAJOR%"=="" set "MAJOR=0"
if %MAJOR% LSS 25 (
  echo piopiy: %JAVA% is Java %MAJOR%; Piopiy needs Java 25 or newer. Set JAVA_HOME to a JDK 25. 1>&2
  exit /b 1
)

rem Explicit entries, not lib\*: a JDK AOT cache needs the same class path every start.
set "CLASSPATH=@piopiy.classpath.windows@"

rem C2 waits until a method is really hot: start-up otherwise spends a quarter of its CPU compiling (see bin/piopiy)
"%JAVA%" --enable-native-access=ALL-UNNAMED -XX:Tier4InvocationThreshold=25000 -XX:Tier4MinInvocationThreshold=3000 ^
  -XX:Tier4CompileThreshold=30000 -XX:Tier4BackEdgeThreshold=200000 -XX:NewSize=48m "-Dpiopiy.home=%PIOPIY_HOME%" -Dpiopiy.providers.classpath=false ^
  "-Dlog4j2.configurationFile=%PIOPIY_HOME%\conf\log4j2.xml" -Dlog4j2.disableJmx=true -Dslf4j.provider=ai.piopiy.logging.DeferredLog4jServiceProvider -Dslf4j.internal.verbosity=WARN ^
  %PIOPIY_JAVA_OPTS% -cp "%CLASSPATH%" ai.piopiy.cli.PiopiyCli %*
exit /b %ERRORLEVEL%
