package org.odahu.pack.packager.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Mirrors odahu-packager's tests/helpers/test_name.py, plus spacing and unknown names. */
class ImageNameTemplateTest {
  @Test
  void plainNamesStayAsTheyAre() {
    assertEquals(
        "test:1234", ImageNameTemplate.render("test:1234", "NAME", "VERSION", () -> "uuid"));
  }

  @Test
  void variablesAreReplacedAndTheResultLowerCased() {
    assertEquals(
        "name/1234:version",
        ImageNameTemplate.render(
            "{{ Name }}/{{ RandomUUID }}:{{ Version }}", "NAME", "VERSION", () -> "1234"));
  }

  @Test
  void everyRandomUuidOfOneNameIsTheSame() {
    int[] drawn = {0};
    assertEquals(
        "w-1:1",
        ImageNameTemplate.render(
            "{{ Name }}-{{ RandomUUID }}:{{ RandomUUID }}",
            "w",
            "v",
            () -> Integer.toString(++drawn[0])));
  }

  @Test
  void defaultTemplate() {
    String name =
        ImageNameTemplate.render(ImageNameTemplate.DEFAULT, "Wine", "1.0", () -> "0b3F-Ab");
    assertTrue(name.matches("wine-1\\.0:[\\w-]+"), name);
    assertEquals("wine-1.0:0b3f-ab", name);
  }

  @Test
  void spacingVariantsAndUnknownNames() {
    assertEquals(
        "a-b-a-:x",
        ImageNameTemplate.render(
            "{{Name}}-{{  Version  }}-{{ Name}}-{{ Unknown }}:x", "a", "b", () -> "u"));
    assertEquals("m-", ImageNameTemplate.render("{{ Name }}-{{ Foo }}", "M", "1", () -> "u"));
  }

  @Test
  void uuidIsOnlyMadeWhenUsed() {
    assertEquals(
        "m:1",
        ImageNameTemplate.render(
            "{{ Name }}:{{ Version }}",
            "m",
            "1",
            () -> {
              throw new AssertionError("not needed");
            }));
  }
}
