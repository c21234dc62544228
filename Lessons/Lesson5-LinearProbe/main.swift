import LessonKit
print("hello")
